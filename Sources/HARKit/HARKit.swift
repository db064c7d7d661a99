import Torch

/// harlab's HAR library: datasets, augmentation, models, training, metrics and runs.
public enum HARKit {
    /// The library version, recorded with every run.
    public static let version = "0.1.0"

    /// The versions that produced a result: harlab and the libtorch it runs on.
    public static var versions: [String: String] { ["harlab": version, "libtorch": Runtime.version] }
}

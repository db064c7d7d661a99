import HARKit

/// The words that name things in HARKit: datasets, model architectures and augmentations.
/// Used for suggestions and completion.
public enum Vocabulary {
    /// Dataset names `load` accepts, aliases included.
    public static let datasets = ["synthetic", "uci-har", "uci", "wisdm", "pamap2", "pamap", "dsads", "dasa",
                                  "opportunity", "oppo", "npy"]
    /// Model specs `model` completes to (HARKit's `ModelSpec` decides what is valid).
    public static var models: [String] { ModelSpec.examples + ModelSpec.knownNames.filter { !ModelSpec.examples.contains($0) } }
    /// Options `model` accepts.
    public static var modelOptions: [String] { ModelSpec.optionKeys.map(\.key) }
    /// Augmentations `augment` accepts.
    public static let augmentations = ["jitter", "scale", "rotate", "crop", "flip", "timewarp", "mixup"]
}

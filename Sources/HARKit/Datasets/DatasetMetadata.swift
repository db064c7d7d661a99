/// What `.npy` files cannot hold, written beside them as `harlab.json`: names, rate, subjects, validation membership, protocol.
struct DatasetMetadata: Codable, Equatable {
    /// Layout version of this file.
    var format = 1
    /// The dataset's short name.
    var name: String
    /// Class names, indexed by label.
    var classNames: [String]
    /// Channel names.
    var channelNames: [String]
    /// Samples per second.
    var sampleRate: Double
    /// Subject per window: those of `x_train.npy` first, then those of `x_test.npy`.
    var subjects: [Int]
    /// Positions within `x_train.npy` of the validation windows.
    var validation: [Int]
    /// The preprocessing that produced the arrays.
    var preprocessing: DatasetProtocol

    /// The file name used beside the arrays.
    static let fileName = "harlab.json"
}

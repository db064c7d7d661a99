/// What a checkpoint remembers of the dataset it was trained on: enough to check that another dataset fits the
/// model, to name its outputs, and to preprocess new windows the same way.
public struct CheckpointDataset: Sendable, Equatable, Codable {
    /// The dataset's short name.
    public var name: String
    /// Class names, indexed by the model's outputs.
    public var classNames: [String]
    /// Channel names, in the model's input order.
    public var channelNames: [String]
    /// Samples per second.
    public var sampleRate: Double
    /// Time steps per window.
    public var windowLength: Int
    /// The preprocessing protocol as JSON text (window, overlap, split, normalisation statistics, …).
    public var protocolJSON: String

    /// A description of a dataset with these names and shape.
    public init(name: String, classNames: [String], channelNames: [String], sampleRate: Double, windowLength: Int, protocolJSON: String = "{}") {
        self.name = name
        self.classNames = classNames
        self.channelNames = channelNames
        self.sampleRate = sampleRate
        self.windowLength = windowLength
        self.protocolJSON = protocolJSON
    }

    /// The model input shape these windows and classes make.
    public var inputShape: InputShape { InputShape(time: windowLength, channels: channelNames.count, classes: classNames.count) }
}

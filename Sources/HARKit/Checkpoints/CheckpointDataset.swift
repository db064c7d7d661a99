/// What a checkpoint remembers of the dataset it was trained on: enough to check that another dataset fits the
/// model, to name its outputs, and to preprocess new windows the same way (the protocol's normalisation statistics).
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
    /// The preprocessing: window, overlap, split, and the per-channel mean and std new windows must be scaled with.
    public var preprocessing: DatasetProtocol

    /// The description of `dataset`.
    public init(_ dataset: HARDataset) {
        name = dataset.name
        classNames = dataset.classNames
        channelNames = dataset.channelNames
        sampleRate = dataset.sampleRate
        windowLength = dataset.windowLength
        preprocessing = dataset.protocolDescription
    }

    /// A description of a dataset with these names, shape and preprocessing.
    public init(name: String, classNames: [String], channelNames: [String], sampleRate: Double, windowLength: Int, preprocessing: DatasetProtocol) {
        self.name = name
        self.classNames = classNames
        self.channelNames = channelNames
        self.sampleRate = sampleRate
        self.windowLength = windowLength
        self.preprocessing = preprocessing
    }

    /// The model input shape these windows and classes make.
    public var inputShape: InputShape { InputShape(time: windowLength, channels: channelNames.count, classes: classNames.count) }
}

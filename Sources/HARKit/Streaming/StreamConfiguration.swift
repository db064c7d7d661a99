/// What a `StreamRecognizer` needs to know besides the model: the model's window, channels, classes and sample rate,
/// the hop between predictions, the training set's normalisation, the smoothing and the stream's sample rate.
public struct StreamConfiguration: Sendable, Equatable {
    /// What to do when the stream's rate differs from the model's.
    public enum RateMismatch: String, Sendable, Equatable {
        /// Resample onto the model's rate by linear interpolation between neighbouring samples (no anti-alias filter).
        case resample
        /// Refuse the stream with a `StreamError`.
        case refuse
    }

    /// Per-channel z-scoring: `(value − mean) / std`.
    public struct Normalization: Sendable, Equatable {
        /// Per-channel means.
        public var mean: [Float]
        /// Per-channel standard deviations (none zero).
        public var std: [Float]

        /// A normalisation by `mean` and `std`.
        public init(mean: [Float], std: [Float]) { (self.mean, self.std) = (mean, std) }
    }

    /// Class names, indexed by the model's output.
    public var classNames: [String]
    /// Channel names in the model's input order.
    public var channelNames: [String]
    /// The rate the model was trained at, in samples per second.
    public var modelRate: Double
    /// Samples per window (the model's T).
    public var windowLength: Int
    /// Samples between two predictions (≥ 1).
    public var hop: Int
    /// Per-channel mean and standard deviation subtracted and divided before the model; nil when the samples
    /// arrive normalised already (a replay of a normalised dataset's windows) or the model trained without.
    public var normalization: Normalization?
    /// How predictions are smoothed into the label shown.
    public var smoothing: SmoothingRule = .majority(5)
    /// The stream's rate as the user declared it; nil to measure it from timestamps (or, without timestamps,
    /// to take the model's rate).
    public var declaredRate: Double?
    /// Seconds per timestamp unit (1 for seconds, 0.001 for milliseconds).
    public var timestampScale: Double = 1
    /// What to do with a stream at another rate.
    public var rateMismatch: RateMismatch = .resample

    /// A configuration read from the dataset the model was trained on: its channels, classes, rate, window, the
    /// training set's normalisation and, unless `hop` is given, its windowing stride as the hop.
    public init(dataset: HARDataset, hop: Int? = nil) {
        let stats = dataset.protocolDescription
        classNames = dataset.classNames
        channelNames = dataset.channelNames
        modelRate = dataset.sampleRate
        windowLength = dataset.windowLength
        self.hop = hop ?? max(stats.stride, 1)
        normalization = stats.normalized && stats.mean.count == dataset.channelCount ? Normalization(mean: stats.mean, std: stats.std) : nil
    }

    /// A configuration from explicit values (tests, benchmarks, replays of other sources).
    public init(classNames: [String], channelNames: [String], modelRate: Double, windowLength: Int, hop: Int,
                normalization: Normalization?) {
        (self.classNames, self.channelNames, self.modelRate) = (classNames, channelNames, modelRate)
        (self.windowLength, self.hop, self.normalization) = (windowLength, hop, normalization)
    }

    /// The seconds one window spans at the model's rate; a gap between samples longer than this restarts the window.
    public var windowDuration: Double { Double(windowLength) / modelRate }

    /// Checks the configuration against itself and against `shape`, the model's input.
    /// - Throws: `StreamError` naming the value that does not fit.
    public func validate(against shape: InputShape) throws {
        guard shape.time == windowLength, shape.channels == channelNames.count, shape.classes == classNames.count else {
            throw StreamError("the model reads \(shape) windows but the stream is set up for \(windowLength)×\(channelNames.count) → "
                              + "\(classNames.count) classes")
        }
        guard hop >= 1 else { throw StreamError("hop \(hop) must be at least 1 sample") }
        guard modelRate > 0, modelRate.isFinite else { throw StreamError("the model's sample rate \(modelRate) Hz is not positive") }
        if let declaredRate, !(declaredRate > 0 && declaredRate.isFinite) {
            throw StreamError("the declared rate \(declaredRate) Hz is not positive")
        }
        if let n = normalization, n.mean.count != channelNames.count || n.std.count != channelNames.count || n.std.contains(0) {
            throw StreamError("the normalisation has \(n.mean.count) means and \(n.std.count) deviations (none may be 0) for "
                              + "\(channelNames.count) channels")
        }
    }
}

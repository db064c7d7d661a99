import Foundation
import Torch

/// Recognises activities on a stream of sensor samples from any source: feed it one sample at a time, in the model's
/// channel order and the stream's own units; every `hop` samples once a window is full it returns a prediction.
///
/// Each sample is z-scored with the training set's normalisation, brought to the model's rate (`StreamRate`) and
/// appended to a sliding window of the model's length. A full window is classified alone (batch 1, evaluation mode,
/// no gradients), so a prediction is the one the model makes on that window in a batch: `eval` and a replay agree.
/// A time gap longer than one window between two timestamps restarts the window and the smoothing.
///
/// ```swift
/// let recognizer = try StreamRecognizer(model: model, configuration: StreamConfiguration(dataset: dataset))
/// for prediction in try recognizer.feed(sample: values, timestamp: seconds) { print(prediction.smoothedName) }
/// ```
public final class StreamRecognizer {
    /// The model classifying the windows.
    public let model: any HARModel
    /// The window, hop, normalisation, smoothing and rates in use.
    public let configuration: StreamConfiguration
    /// Times a gap longer than a window restarted the window.
    public private(set) var restarts = 0
    /// Samples accepted so far (as fed, before resampling).
    public private(set) var samplesAccepted = 0
    /// The predictions made so far.
    public private(set) var predictionCount = 0

    private var adapter: StreamRateAdapter
    private var window: SlidingWindow
    private var smoother: PredictionSmoother
    private var lastTime: Double?
    private var timestamped: Bool?
    private var modelSamples = 0

    /// A recognizer of `model` configured by `configuration`.
    /// - Throws: `StreamError` when the configuration does not fit the model's input.
    public init(model: any HARModel, configuration: StreamConfiguration) throws {
        try configuration.validate(against: model.inputShape)
        self.model = model
        self.configuration = configuration
        adapter = StreamRateAdapter(modelRate: configuration.modelRate, declaredRate: configuration.declaredRate,
                                    policy: configuration.rateMismatch)
        window = SlidingWindow(length: configuration.windowLength, channels: configuration.channelNames.count)
        smoother = PredictionSmoother(rule: configuration.smoothing)
    }

    /// The stream's rate and what is done about it, once decided (after the first sample, or after the first
    /// `StreamRateAdapter.measuringIntervals` intervals of a timestamped stream whose rate was not declared).
    public var rate: StreamRate? { adapter.rate }

    /// Takes the next sample and returns the predictions it completes (none, one, or several when resampling up).
    /// - Parameters:
    ///   - sample: one value per channel, in the configuration's channel order, not normalised.
    ///   - timestamp: the sample's time in the configuration's timestamp unit; nil for a stream without timestamps
    ///     (then the samples are taken to be evenly spaced at the declared rate, or the model's).
    /// - Throws: `MalformedSample` for a sample to skip (a value that is not finite, a timestamp that does not
    ///   advance); `StreamError` when the stream cannot go on (another channel count, timestamps that come and go,
    ///   a rate refused); `TorchError` when the forward pass fails.
    public func feed(sample: [Float], timestamp: Double?) throws -> [StreamPrediction] {
        let channels = configuration.channelNames.count
        guard sample.count == channels else {
            throw StreamError("a sample of \(sample.count) values, but the model reads \(channels) channels")
        }
        if let timestamped, timestamped != (timestamp != nil) {
            throw StreamError(timestamped ? "a sample without a timestamp in a timestamped stream" : "a timestamp in a stream without them")
        }
        guard sample.allSatisfy(\.isFinite) else { throw MalformedSample("a value that is not finite") }
        let time: Double
        if let timestamp {
            time = timestamp * configuration.timestampScale
            guard time.isFinite else { throw MalformedSample("timestamp \(timestamp) is not finite") }
            if let lastTime {
                guard time > lastTime else { throw MalformedSample("timestamp \(timestamp) does not come after the one before") }
                if time - lastTime > configuration.windowDuration { restart(); restarts += 1 }
            }
        } else {
            time = Double(samplesAccepted) / (configuration.declaredRate ?? configuration.modelRate)
        }
        let ready = try adapter.push((time, normalized(sample)), timestamped: timestamp != nil)
        (timestamped, lastTime) = (timestamp != nil, time)
        samplesAccepted += 1
        var predictions: [StreamPrediction] = []
        for (sampleTime, values) in ready {
            window.append(values)
            modelSamples += 1
            if window.isFull, (window.appended - window.length) % configuration.hop == 0 {
                predictions.append(try predict(endingAt: sampleTime))
            }
        }
        return predictions
    }

    /// Empties the window and the smoothing's history: the next sample starts a new window (a gap, a new recording).
    public func restart() {
        adapter.restart()
        window.clear()
        smoother.reset()
    }

    /// The class probabilities the model gives one window of `windowLength × channels` values (normalised as the
    /// model expects, row-major): the softmax of its logits, computed in Double from the float32 logits.
    /// - Throws: `StreamError` for a window of another size, `TorchError` when the forward pass fails.
    public func probabilities(ofWindow values: [Float]) throws -> [Double] {
        let shape = [1, 1, configuration.windowLength, configuration.channelNames.count]
        guard values.count == shape.reduce(1, *) else {
            throw StreamError("a window of \(values.count) values, but the model reads \(shape[2])×\(shape[3]) = \(shape[2] * shape[3])")
        }
        let logits: [Float] = try model.evaluating {
            try model(Tensor(values, shape: shape).converted(to: model.dtype)).converted(to: .float32).scalars(as: Float.self)
        }
        return Self.softmax(logits)
    }

    /// The softmax of `logits`, in Double (shifted by the largest logit).
    public static func softmax(_ logits: [Float]) -> [Double] {
        let top = Double(logits.max() ?? 0)
        let exps = logits.map { Foundation.exp(Double($0) - top) }
        let sum = exps.reduce(0, +)
        return exps.map { $0 / sum }
    }

    private func predict(endingAt time: Double) throws -> StreamPrediction {
        let probabilities = try probabilities(ofWindow: window.values)
        var best = 0
        for index in probabilities.indices where probabilities[index] > probabilities[best] { best = index }
        let smoothed = smoother.smooth(best)
        predictionCount += 1
        let names = configuration.classNames
        return StreamPrediction(time: time, sampleIndex: modelSamples - 1, activity: best, activityName: names[best],
                                confidence: probabilities[best], probabilities: probabilities, smoothed: smoothed,
                                smoothedName: names[smoothed])
    }

    private func normalized(_ sample: [Float]) -> [Float] {
        guard let n = configuration.normalization else { return sample }
        return sample.indices.map { (sample[$0] - n.mean[$0]) / n.std[$0] }
    }
}

import Foundation

/// Feeds a `ReplaySource` through a `StreamRecognizer` — the path `stream` runs live samples through — paced at
/// `speed`, and records the true and predicted activity as an `ActivityTimeline`.
///
/// The samples go in without timestamps at the dataset's rate (the model's), so the recognizer neither resamples nor
/// restarts: a replay is one continuous stream, and where one recording ends and the next begins, windows span both,
/// as they would when a person changes activity.
public struct Replayer {
    /// What a replay did.
    public struct Outcome: Sendable {
        /// The samples fed (all of them, unless stopped) with their true classes, and every prediction.
        public var timeline: ActivityTimeline
        /// Whether `shouldStop` ended it before the last sample.
        public var stopped: Bool
        /// Wall-clock seconds it took.
        public var seconds: Double
    }

    /// The samples and their truth.
    public let source: ReplaySource
    /// The stream path: window, hop, normalisation, batch-1 inference, smoothing.
    public let recognizer: StreamRecognizer
    /// How fast the samples go in.
    public var speed: ReplaySpeed
    /// The longest single wait, so that `shouldStop` is polled at least this often while pacing.
    public var pollSeconds = 0.05
    /// Polled before each sample and while waiting; when it says yes the replay ends there.
    public var shouldStop: () -> Bool = { false }
    /// Called with each prediction as it is made and the true class of the window's last sample.
    public var onPrediction: (StreamPrediction, _ truth: Int) -> Void = { _, _ in }

    /// A replay of `source` through `recognizer` at `speed`.
    public init(source: ReplaySource, recognizer: StreamRecognizer, speed: ReplaySpeed) {
        (self.source, self.recognizer, self.speed) = (source, recognizer, speed)
    }

    /// Feeds every sample (until `shouldStop`), waiting until each is due at `speed`.
    /// - Throws: what the recognizer throws (`StreamError`, `TorchError`).
    public func run() throws -> Outcome {
        let rate = recognizer.configuration.modelRate, channels = source.channels
        let started = Date()
        var predictions: [ActivityTimeline.Prediction] = []
        var fed = 0, stopped = false
        feeding: while fed < source.rows {
            while true {
                if shouldStop() { stopped = true; break feeding }
                let wait = speed.wait(beforeSample: fed, rate: rate, elapsed: Date().timeIntervalSince(started))
                if wait <= 0 { break }
                Thread.sleep(forTimeInterval: min(wait, pollSeconds))
            }
            let sample = Array(source.values[(fed * channels)..<((fed + 1) * channels)])
            for prediction in try recognizer.feed(sample: sample, timestamp: nil) {
                predictions.append(.init(sample: prediction.sampleIndex, label: prediction.activity, confidence: prediction.confidence,
                                         smoothedLabel: prediction.smoothed))
                onPrediction(prediction, source.truth[prediction.sampleIndex])
            }
            fed += 1
        }
        let timeline = ActivityTimeline(classNames: recognizer.configuration.classNames, sampleRate: rate,
                                        truth: Array(source.truth[0..<fed]), predictions: predictions)
        return Outcome(timeline: timeline, stopped: stopped, seconds: Date().timeIntervalSince(started))
    }
}

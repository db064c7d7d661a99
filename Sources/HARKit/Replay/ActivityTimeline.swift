/// A replayed stream's true and predicted activities over time: the true class of every sample, and each prediction
/// with the sample at which it was made. What `replay` records, its metrics read, and `plot timeline` draws.
///
/// A prediction is *shown* from the sample whose arrival completed its window until the next prediction, as a live
/// display shows it; the samples before the first prediction (the first window filling) have no predicted activity.
public struct ActivityTimeline: Sendable, Equatable {
    /// One prediction of the stream.
    public struct Prediction: Sendable, Equatable {
        /// The index of the sample whose arrival completed the window (the window's last sample).
        public var sample: Int
        /// The model's class for the window.
        public var label: Int
        /// The model's probability of that class (softmax), 0…1.
        public var confidence: Double
        /// The label shown after smoothing (majority vote or minimum duration); equal to `label` without smoothing.
        public var smoothedLabel: Int

        /// A prediction made at `sample`.
        public init(sample: Int, label: Int, confidence: Double, smoothedLabel: Int) {
            (self.sample, self.label, self.confidence, self.smoothedLabel) = (sample, label, confidence, smoothedLabel)
        }
    }

    /// Class names, indexed by label.
    public var classNames: [String]
    /// Samples per second.
    public var sampleRate: Double
    /// The true class of every sample, in stream order.
    public var truth: [Int]
    /// The predictions in the order they were made (their `sample`s never decrease).
    public var predictions: [Prediction]

    /// A timeline of `truth` (one class per sample) and `predictions`.
    public init(classNames: [String], sampleRate: Double, truth: [Int], predictions: [Prediction] = []) {
        (self.classNames, self.sampleRate, self.truth, self.predictions) = (classNames, sampleRate, truth, predictions)
    }

    /// Seconds the samples span.
    public var duration: Double { Double(truth.count) / sampleRate }

    /// The label shown at every sample: the latest prediction made at or before it (smoothed or raw), nil before the first.
    public func shownLabels(smoothed: Bool = true) -> [Int?] {
        var shown = [Int?](repeating: nil, count: truth.count)
        for (index, prediction) in predictions.enumerated() where prediction.sample < truth.count {
            let end = index + 1 < predictions.count ? min(predictions[index + 1].sample, truth.count) : truth.count
            guard prediction.sample < end else { continue }
            let label = smoothed ? prediction.smoothedLabel : prediction.label
            for sample in prediction.sample..<end { shown[sample] = label }
        }
        return shown
    }

    /// The runs of equal shown label (smoothed or raw), from the first prediction on: `(first sample, end sample,
    /// label, mean confidence of the predictions made in the run)` in order.
    public func predictedSegments(smoothed: Bool = true) -> [(start: Int, end: Int, label: Int, confidence: Double)] {
        var segments: [(start: Int, end: Int, label: Int, confidence: Double)] = []
        var confidences: [Double] = []
        for (index, prediction) in predictions.enumerated() where prediction.sample < truth.count {
            let label = smoothed ? prediction.smoothedLabel : prediction.label
            let end = index + 1 < predictions.count ? min(predictions[index + 1].sample, truth.count) : truth.count
            if let last = segments.last, last.label == label {
                confidences.append(prediction.confidence)
                segments[segments.count - 1].end = max(last.end, end)
            } else {
                confidences = [prediction.confidence]
                segments.append((prediction.sample, max(prediction.sample, end), label, 0))
            }
            segments[segments.count - 1].confidence = confidences.reduce(0, +) / Double(confidences.count)
        }
        return segments
    }

    /// The runs of equal true class: `(first sample, end sample, label)` in order.
    public var trueSegments: [(start: Int, end: Int, label: Int)] {
        var segments: [(start: Int, end: Int, label: Int)] = []
        for (sample, label) in truth.enumerated() {
            if let last = segments.last, last.label == label { segments[segments.count - 1].end = sample + 1 }
            else { segments.append((sample, sample + 1, label)) }
        }
        return segments
    }
}

/// How well a replayed stream's predictions followed the true activity, sample by sample and change by change.
///
/// Definitions (the samples before the first prediction, while the first window fills, are not scored):
/// - **accuracy**: the share of scored samples whose shown label (`ActivityTimeline.shownLabels`) is the true one;
/// - **macro F1**: `ClassificationMetrics`' macro F1 over the scored samples' (true, shown) pairs, so each second
///   weighs the same;
/// - **switches**: how often consecutive predictions differ (`predictedSwitches`), against how often the true
///   activity changes after the first prediction (`trueSwitches`);
/// - **detection delay**: for each true change after the first prediction, the seconds from the change's first
///   sample to the first prediction of the new activity made at or after it (0 when the window that completes at the
///   change's first sample already says so); a change whose new activity is never predicted before the next change
///   (or the end) is *missed*, counted in `missedChanges` and left out of the mean.
public struct ReplayMetrics: Sendable, Equatable, Codable {
    /// Samples with a predicted activity (from the first prediction to the end).
    public var scoredSamples: Int
    /// Share of scored samples predicted right.
    public var accuracy: Double
    /// Macro F1 over the scored samples.
    public var f1Macro: Double
    /// Changes between consecutive predictions.
    public var predictedSwitches: Int
    /// Changes of the true activity after the first prediction.
    public var trueSwitches: Int
    /// True changes whose new activity was predicted before the next change.
    public var detectedChanges: Int
    /// True changes whose new activity was never predicted before the next change (or the end).
    public var missedChanges: Int
    /// Mean seconds from a detected change to the first prediction of its activity; nil when none was detected.
    public var meanDetectionDelay: Double?

    /// The metrics of `timeline`, for its smoothed labels (what a live display shows) or the model's raw ones.
    public init(_ timeline: ActivityTimeline, smoothed: Bool = true) {
        let truth = timeline.truth
        let labels = timeline.predictions.map { smoothed ? $0.smoothedLabel : $0.label }
        let first = timeline.predictions.first?.sample ?? truth.count
        let shown = timeline.shownLabels(smoothed: smoothed)
        let scored = first < truth.count ? Array(first..<truth.count) : []
        scoredSamples = scored.count
        let scoredTruth = scored.map { truth[$0] }, scoredShown = scored.map { shown[$0]! }
        accuracy = scored.isEmpty ? 0 : Double(zip(scoredTruth, scoredShown).filter { $0 == $1 }.count) / Double(scored.count)
        f1Macro = ClassificationMetrics(labels: scoredTruth, predictions: scoredShown, classNames: timeline.classNames).f1Macro
        predictedSwitches = zip(labels, labels.dropFirst()).filter { $0 != $1 }.count
        let changes = scored.dropFirst().filter { truth[$0] != truth[$0 - 1] }
        trueSwitches = changes.count
        var delays: [Double] = []
        for (index, change) in changes.enumerated() {
            let next = index + 1 < changes.count ? changes[index + 1] : truth.count
            let found = zip(timeline.predictions, labels).first { $0.0.sample >= change && $0.0.sample < next && $0.1 == truth[change] }
            if let found { delays.append(Double(found.0.sample - change) / timeline.sampleRate) }
        }
        detectedChanges = delays.count
        missedChanges = changes.count - delays.count
        meanDetectionDelay = delays.isEmpty ? nil : delays.reduce(0, +) / Double(delays.count)
    }
}

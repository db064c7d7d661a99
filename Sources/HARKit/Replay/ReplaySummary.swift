/// One finished replay: what was replayed with which model, its timeline, and the metrics that sum it up — what
/// `replay` prints at the end, `plot timeline` draws and `report` shows.
public struct ReplaySummary: Sendable, Equatable {
    /// The heading, e.g. "sa · synthetic · test split: 30 recordings of subjects 16, 17, 18, 19, 20".
    public var title: String
    /// True and predicted activity over time.
    public var timeline: ActivityTimeline
    /// The metrics of the smoothed labels (what the replay showed).
    public var metrics: ReplayMetrics
    /// The metrics of the model's raw labels.
    public var rawMetrics: ReplayMetrics

    /// A summary of `timeline` titled `title`, its metrics computed both ways.
    public init(title: String, timeline: ActivityTimeline) {
        self.title = title
        self.timeline = timeline
        metrics = ReplayMetrics(timeline)
        rawMetrics = ReplayMetrics(timeline, smoothed: false)
    }

    /// The metrics in one sentence (a figure's caption).
    public var caption: String {
        let delay = metrics.meanDetectionDelay.map { String(format: "%.2f s", $0) } ?? "none detected"
        return "Per-sample accuracy \(String(format: "%.4f", metrics.accuracy)), macro F1 \(String(format: "%.4f", metrics.f1Macro)); "
            + "\(counted(metrics.predictedSwitches, "predicted switch", plural: "predicted switches")) against \(metrics.trueSwitches) true; "
            + "mean detection delay \(delay) (\(metrics.detectedChanges) of \(metrics.trueSwitches) changes detected)."
    }
}

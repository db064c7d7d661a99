import HARKit

/// `plot timeline`: the latest replay's true and predicted activity as terminal bands, with its metrics.
struct InspectedTimeline: CommandOutput {
    /// The command word of the result (`plot`).
    var command: String
    /// The replay drawn.
    var summary: ReplaySummary

    /// The title, the bands, then the metrics.
    func lines(in layout: TextLayout) -> [String] {
        [summary.title] + TerminalTimeline.render(summary.timeline, style: layout.style, width: layout.width)
            + InspectedTimeline.metricLines(summary)
    }

    /// `target`, then the replay's fields (`InspectedTimeline.fields`).
    var result: CommandResult {
        CommandResult(command: command, fields: [("target", .string("timeline"))] + InspectedTimeline.fields(summary))
    }

    /// The metrics as text: accuracy and macro F1, switches, detection delay; the raw labels' when smoothing changed them.
    static func metricLines(_ summary: ReplaySummary) -> [String] {
        func line(_ m: ReplayMetrics, _ what: String) -> [String] {
            let delay = m.meanDetectionDelay.map { "\(TrainingView.fixed($0, 2)) s" } ?? "none detected"
            return ["\(what): per-sample accuracy \(TableValue.percentage(m.accuracy).display), macro F1 \(TrainingView.fixed(m.f1Macro, 3)), "
                    + "\(counted(m.predictedSwitches, "switch", plural: "switches")) (truth: \(m.trueSwitches)), "
                    + "mean detection delay \(delay) (\(m.detectedChanges) detected, \(m.missedChanges) missed)"]
        }
        return line(summary.metrics, "smoothed") + (summary.rawMetrics == summary.metrics ? [] : line(summary.rawMetrics, "raw"))
    }

    /// The fields of a replay: `title`, `seconds`, `samples`, `classes`, the smoothed labels' `metrics` and the raw
    /// labels' `raw_metrics` (each `scored_samples`, `accuracy`, `f1_macro`, `predicted_switches`, `true_switches`,
    /// `detected_changes`, `missed_changes`, `mean_detection_delay_s`), and the `true_segments` and
    /// `predicted_segments` (`start_s`, `end_s`, `class`, and for predictions `confidence`).
    static func fields(_ summary: ReplaySummary) -> [(String, JSONValue)] {
        let timeline = summary.timeline
        func seconds(_ sample: Int) -> JSONValue { .double(Double(sample) / timeline.sampleRate) }
        func name(_ label: Int) -> JSONValue { .string(label < timeline.classNames.count ? timeline.classNames[label] : "class \(label)") }
        func metrics(_ m: ReplayMetrics) -> JSONValue {
            .object([("scored_samples", .int(m.scoredSamples)), ("accuracy", .double(m.accuracy)), ("f1_macro", .double(m.f1Macro)),
                     ("predicted_switches", .int(m.predictedSwitches)), ("true_switches", .int(m.trueSwitches)),
                     ("detected_changes", .int(m.detectedChanges)), ("missed_changes", .int(m.missedChanges)),
                     ("mean_detection_delay_s", m.meanDetectionDelay.map(JSONValue.double) ?? .null)])
        }
        return [("title", .string(summary.title)), ("seconds", .double(timeline.duration)), ("samples", .int(timeline.truth.count)),
                ("classes", .array(timeline.classNames.map { .string($0) })),
                ("metrics", metrics(summary.metrics)), ("raw_metrics", metrics(summary.rawMetrics)),
                ("true_segments", .array(timeline.trueSegments.map { .object([("start_s", seconds($0.start)), ("end_s", seconds($0.end)), ("class", name($0.label))]) })),
                ("predicted_segments", .array(timeline.predictedSegments().map {
                    .object([("start_s", seconds($0.start)), ("end_s", seconds($0.end)), ("class", name($0.label)), ("confidence", .double($0.confidence))])
                }))]
    }
}

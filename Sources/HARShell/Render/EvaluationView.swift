import HARKit

/// How `eval` shows its figures: headline scores, a per-class table with class names, the confusion
/// matrix and inference speed; and the result value with the field names of docs/COMMANDS.md.
public enum EvaluationView {
    /// The report's lines for `metrics` on `split`, with `timing` when measured.
    public static func render(_ metrics: ClassificationMetrics, split: String, timing: InferenceTiming?, style: Style) -> [String] {
        var lines = ["\(split): accuracy \(percent(metrics.accuracy))  macro P/R/F1 \(three(metrics.precisionMacro))/"
                     + "\(three(metrics.recallMacro))/\(three(metrics.f1Macro))  weighted F1 \(three(metrics.f1Weighted))"]
        let rows = metrics.perClass.map { [$0.name, three($0.precision), three($0.recall), three($0.f1), String($0.support)] }
        lines += TextTable(header: ["class", "precision", "recall", "F1", "support"], rows: rows,
                           alignments: [.left, .right, .right, .right, .right]).render()
        lines.append("")
        lines += ConfusionMatrixView.render(metrics.confusion.counts, classes: metrics.perClass.map(\.name), style: style)
        if let timing {
            lines.append("")
            lines.append("latency (batch 1): p50 \(TrainingView.fixed(timing.latencyP50, 2)) ms, p95 \(TrainingView.fixed(timing.latencyP95, 2)) ms;"
                         + " throughput \(grouped(Int(timing.throughput.rounded()))) windows/s (batch \(timing.batch))")
        }
        return lines
    }

    /// The `eval` result.
    public static func result(_ metrics: ClassificationMetrics, split: String, timing: InferenceTiming?) -> CommandResult {
        CommandResult(command: "eval", fields: [
            ("split", .string(split)), ("accuracy", .double(metrics.accuracy)),
            ("precision_macro", .double(metrics.precisionMacro)), ("recall_macro", .double(metrics.recallMacro)),
            ("f1_macro", .double(metrics.f1Macro)), ("precision_weighted", .double(metrics.precisionWeighted)),
            ("recall_weighted", .double(metrics.recallWeighted)), ("f1_weighted", .double(metrics.f1Weighted)),
            ("per_class", .array(metrics.perClass.map { row in
                .object([("class", .string(row.name)), ("precision", .double(row.precision)), ("recall", .double(row.recall)),
                         ("f1", .double(row.f1)), ("support", .int(row.support))])
            })),
            ("confusion", .array(metrics.confusion.counts.map { .array($0.map { .int($0) }) })),
            ("latency_ms_p50", timing.map { .double($0.latencyP50) } ?? .null),
            ("latency_ms_p95", timing.map { .double($0.latencyP95) } ?? .null),
            ("throughput_windows_per_s", timing.map { .double($0.throughput) } ?? .null),
        ])
    }

    private static func percent(_ value: Double) -> String { TrainingView.fixed(value * 100, 2) + "%" }
    private static func three(_ value: Double) -> String { TrainingView.fixed(value, 3) }
}

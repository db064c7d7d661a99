import HARKit

/// `eval [test|val|train]`: metrics, per-class table, confusion matrix and latency on a split.
struct EvalCommand: ShellCommand {
    static let spec = CommandSpec("eval", family: .training, usage: "eval [test|val|train]",
                                  summary: "accuracy, macro/weighted P/R/F1, per-class table, confusion matrix, latency",
                                  details: ["A progress bar over the batches on a terminal; Ctrl-C stops after the current batch (nothing recorded).",
                                            "A model built by `model` that never trained warns: its accuracy is chance."],
                                  examples: ["eval", "eval val"], keywords: ["test", "val", "train"], keywordKind: "split",
                                  positionals: 1)

    /// The current model's figures on a split: headline scores, per-class scores, the confusion matrix, inference speed.
    struct Evaluation: CommandOutput {
        /// The split as the user named it (`test`, `val`, `train`).
        var split: String
        /// Accuracy, P/R/F1 (macro, weighted, per class), confusion.
        var metrics: ClassificationMetrics
        /// Batch-1 latency and batched throughput, when measured.
        var timing: InferenceTiming?
        /// The session run the evaluation belongs to; nil when the model belongs to none.
        var run: Int? = nil
        /// Why the evaluation is recorded nowhere (or in the session only), said after the figures; nil when recorded.
        var unrecorded: String? = nil
        /// The precision the evaluated model's run trained in; nil for a model without a run in this session.
        /// Evaluation itself always computes in float32: the weights are float32, and the same checkpoint then scores
        /// the same on every CPU (docs/LEARNING.md, "Mixed precision").
        var trainedIn: TrainingPrecision?
        /// Accuracy and macro F1 per subject of the split.
        var subjects = SubjectScores(rows: [])
        /// The processes that evaluated the split in shares: the ranks of a data-parallel job, else 1.
        var ranks = 1

        /// The headline line, a per-class table, the confusion matrix, the latency line and the precision line.
        func lines(in layout: TextLayout) -> [String] {
            var lines = ["\(split): accuracy \(percent(metrics.accuracy))  macro P/R/F1 \(three(metrics.precisionMacro))/"
                         + "\(three(metrics.recallMacro))/\(three(metrics.f1Macro))  weighted F1 \(three(metrics.f1Weighted))"]
            let rows = metrics.perClass.map { [$0.name, three($0.precision), three($0.recall), three($0.f1), String($0.support)] }
            lines += TextTable(header: ["class", "precision", "recall", "F1", "support"], rows: rows,
                               alignments: [.left, .right, .right, .right, .right]).render(width: layout.width)
            lines.append("")
            lines += ConfusionMatrixView.render(metrics.confusion.counts, classes: metrics.perClass.map(\.name), style: layout.style,
                                                width: layout.width)
            if let timing {
                let latency = "latency (batch 1): p50 \(TrainingView.fixed(timing.latencyP50, 2)) ms, p95 \(TrainingView.fixed(timing.latencyP95, 2)) ms"
                let throughput = "throughput \(grouped(Int(timing.throughput.rounded()))) windows/s (batch \(timing.batch))"
                let oneLine = latency + "; " + throughput
                lines += [""] + (oneLine.count <= (layout.width ?? Int.max) ? [oneLine] : [latency, throughput])
            }
            lines += SubjectScoresView.lines(subjects, width: layout.width)
            if ranks > 1 { lines.append("evaluated in shares by \(ranks) ranks") }
            if let unrecorded { lines.append(unrecorded) }
            lines.append("computed in float32" + (trainedIn.map { " (the model trained in \($0.rawValue))" } ?? ""))
            return lines
        }

        /// `split`, `accuracy`, macro and weighted P/R/F1, `per_class`, `confusion`, latency and throughput, `run`,
        /// `eval_precision`, `train_precision`, `ranks`, `per_subject` and `subject_spread`.
        var result: CommandResult {
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
                ("run", run.map(JSONValue.int) ?? .null),
                ("eval_precision", .string(TrainingPrecision.float32.rawValue)),
                ("train_precision", trainedIn.map { .string($0.rawValue) } ?? .null), ("ranks", .int(ranks)),
            ] + SubjectScoresView.fields(subjects))
        }

        private func percent(_ value: Double) -> String { TableValue.percentage(value).display }
        private func three(_ value: Double) -> String { TrainingView.fixed(value, 3) }
    }

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> Evaluation { try shell.evaluate(arguments) }

    /// On every rank, in shares, while the workers' weights are the session's.
    static func workerSharing(_ arguments: Arguments) -> WorkerSharing { .everyRankWhileWeightsInStep }
}

private extension Interpreter {
    func evaluate(_ arguments: Arguments) throws -> EvalCommand.Evaluation {
        let word = arguments.keyword ?? "test"
        let split: DatasetSplit = word == "val" ? .validation : (word == "train" ? .train : .test)
        let model = try currentModel(for: arguments)
        let dataset = try currentDataset(for: arguments)
        if session.modelIsUntrained {
            output.warning("\(model.spec) has never been trained: expect chance accuracy (run 'train' first)")
        }
        let (result, ranks) = try evaluateWithProgress(model, on: dataset, split: split, arguments: arguments)
        let timing = try InferenceTiming.measure(model, repetitions: timingRepetitions, batch: 256)
        let subjects = SubjectScores(result, of: dataset)
        if var run = session.currentRun {
            run.evaluation = SessionRun.Evaluation(split: word, metrics: result.metrics, timing: timing)
            session.runs[session.runs.count - 1] = run
            if split == .test, let id = run.storeID {
                let recorder = recording(of: "the evaluation of run \(run.id)").recorder(for: id)
                recorder.evaluated(result.metrics, inference: timing)
                recorder.evaluated(bySubject: subjects)
            }
        }
        session.lastEvaluation = result
        return EvalCommand.Evaluation(split: word, metrics: result.metrics, timing: timing, run: session.currentRun?.id,
                                      unrecorded: unrecordedEvaluationReason, trainedIn: session.currentRun?.precision,
                                      subjects: subjects, ranks: ranks)
    }
}

import HARKit

/// `eval [test|val|train]`: metrics, per-class table, confusion matrix and latency on a split.
struct EvalCommand: ShellCommand {
    static let spec = CommandSpec("eval", family: .training, usage: "eval [test|val|train]",
                                  summary: "accuracy, macro/weighted P/R/F1, per-class table, confusion matrix, latency",
                                  examples: ["eval", "eval val"], keywords: ["test", "val", "train"], keywordKind: "split",
                                  positionals: 1)

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> CommandResult { try shell.evaluate(arguments) }
}

private extension Interpreter {
    func evaluate(_ arguments: Arguments) throws -> CommandResult {
        let word = arguments.keyword ?? "test"
        let split: DatasetSplit = word == "val" ? .validation : (word == "train" ? .train : .test)
        let model = try currentModel(for: arguments)
        let dataset = try currentDataset(for: arguments)
        let result = try Evaluator(model: model, dataset: dataset).evaluate(split: split)
        let timing = try InferenceTiming.measure(model, repetitions: timingRepetitions, batch: 256)
        for line in EvaluationView.render(result.metrics, split: word, timing: timing, style: style) { output.text(line) }
        if var run = session.currentRun {
            run.evaluation = SessionRun.Evaluation(split: word, metrics: result.metrics, timing: timing)
            session.runs[session.runs.count - 1] = run
            if split == .test, let id = run.storeID {
                recording(of: "the evaluation of run \(run.id)").recorder(for: id).evaluated(result.metrics, inference: timing)
            }
        }
        session.lastEvaluation = result
        if let reason = unrecordedEvaluationReason { output.text(reason) }
        var structured = EvaluationView.result(result.metrics, split: word, timing: timing)
        structured.fields.append(("run", session.currentRun.map { .int($0.id) } ?? .null))
        return structured
    }
}

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
        // Evaluation computes in float32 whatever `amp` says: the weights are float32, and the same checkpoint scores
        // the same on every CPU (docs/LEARNING.md, "bfloat16").
        let trainedIn = session.currentRun?.precision
        output.text("computed in float32" + (trainedIn.map { " (the model trained in \($0.rawValue))" } ?? ""))
        if var run = session.currentRun {
            run.evaluation = SessionRun.Evaluation(split: word, metrics: result.metrics, timing: timing)
            session.runs[session.runs.count - 1] = run
            if split == .test, let id = run.storeID {
                recording(of: "the evaluation of run \(run.id)").recorder(for: id).evaluated(result.metrics, inference: timing)
            }
        }
        session.lastEvaluation = result
        var evaluation = EvaluationView.result(result.metrics, split: word, timing: timing)
        evaluation.fields += [("eval_precision", .string(TrainingPrecision.float32.rawValue)),
                              ("train_precision", trainedIn.map { .string($0.rawValue) } ?? .null)]
        return evaluation
    }
}

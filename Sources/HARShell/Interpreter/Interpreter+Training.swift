import Foundation
import HARKit

/// Training commands: train, eval, tune, cv.
extension Interpreter {
    func train(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectPositionals(1)
        try arguments.expectOptions([])
        let requested = try arguments.positional(0).map { try arguments.integer($0, "epoch count", in: 1...100_000) }
            ?? session.config.epochs
        let epochs = max(1, Int((Double(requested) * epochScale).rounded()))
        let model = try currentModel(for: arguments)
        let dataset = try currentDataset(for: arguments)
        let trainer: Trainer
        if let existing = session.trainer {
            try existing.apply(session.config)
            existing.augmentation = session.augmentation
            trainer = existing
        } else {
            trainer = try Trainer(model: model, dataset: dataset, config: session.config, augmentation: session.augmentation)
            session.trainer = trainer
        }
        var run = session.currentRun ?? SessionRun(id: session.runs.count + 1, dataset: dataset.name, model: model.spec.description,
                                                    config: session.config, modelIdentity: ObjectIdentifier(model))
        run.config = session.config
        run.augmentation = session.augmentation?.description
        let isNewRun = session.currentRun == nil
        output.text("training \(model.spec) on \(dataset.name) for \(epochs) epoch\(epochs == 1 ? "" : "s")"
                    + (epochs != requested ? " (\(requested) scaled by \(epochScale))" : "") + " — Ctrl-C stops after the current batch")
        output.text(TrainingView.header)
        var epochStart = Date()
        let outcome = try trainer.train(epochs: epochs, events: { [output] event in
            switch event {
            case .epochStarted(let epoch, let batches):
                epochStart = Date()
                output.progress(Progress(label: "epoch \(epoch)", done: 0, total: batches, elapsed: 0))
            case .batchFinished(let epoch, let batch, let batches, _):
                output.progress(Progress(label: "epoch \(epoch)", done: batch, total: batches, elapsed: Date().timeIntervalSince(epochStart)))
            case .epochFinished(let record):
                output.progress(nil)
                output.text(TrainingView.line(record))
                output.result(TrainingView.result(record))
            }
        }, shouldStop: shouldStop)
        output.progress(nil)
        run.epochs += outcome.records
        run.stopped = outcome.reason
        run.evaluation = nil
        if isNewRun { session.runs.append(run) } else { session.runs[session.runs.count - 1] = run }
        output.text(TrainingView.summary(outcome) + (outcome.reason == .cancelled ? " by Ctrl-C; the model keeps its weights" : ""))
        return CommandResult(command: "train", fields: [
            ("epochs", .int(outcome.records.count)), ("stopped", .string(TrainingView.stopWord(outcome.reason))),
            ("run", .int(run.id)), ("restored_epoch", outcome.restoredEpoch.map(JSONValue.int) ?? .null),
        ])
    }

    func evaluate(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectPositionals(1)
        try arguments.expectOptions([])
        let word = try arguments.positional(0).map { try arguments.expectKeyword($0, among: arguments.spec.keywords, kind: "split") } ?? "test"
        let split: DatasetSplit = word == "val" ? .validation : (word == "train" ? .train : .test)
        let model = try currentModel(for: arguments)
        let dataset = try currentDataset(for: arguments)
        let result = try Evaluator(model: model, dataset: dataset).evaluate(split: split)
        let timing = try InferenceTiming.measure(model, repetitions: timingRepetitions, batch: 256)
        for line in EvaluationView.render(result.metrics, split: word, timing: timing, style: style) { output.text(line) }
        if var run = session.currentRun {
            run.evaluation = SessionRun.Evaluation(split: word, metrics: result.metrics, timing: timing)
            session.runs[session.runs.count - 1] = run
        }
        session.lastEvaluation = result
        return EvaluationView.result(result.metrics, split: word, timing: timing)
    }

    func tune(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectOptions(arguments.spec.optionKeys)
        try arguments.expectPositionals(0)
        guard arguments.options.contains(where: { ConfigKey.named($0.key ?? "") != nil }) else {
            throw ShellError("missing KEY=RANGE — usage: \(arguments.spec.usage)", at: arguments.command.offset)
        }
        throw unavailable(arguments, needs: "HARKit's tuner")
    }

    func crossValidate(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectPositionals(1)
        try arguments.expectOptions(["folds"])
        if let word = arguments.positional(0) { _ = try arguments.expectKeyword(word, among: ["loso"], kind: "cross-validation") }
        if let folds = arguments.option("folds"), folds.value != "loso" { _ = try arguments.integer(folds, "folds", in: 2...1000) }
        throw unavailable(arguments, needs: "HARKit's cross-validation")
    }
}

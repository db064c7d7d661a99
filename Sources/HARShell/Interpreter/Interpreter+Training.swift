import Foundation
import HARKit

/// Training commands: train, eval, tune, cv.
extension Interpreter {
    func train(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectPositionals(1)
        try arguments.expectOptions([])
        let requested = try arguments.positional(0).map { try arguments.integer($0, "epoch count", in: 1...100_000) }
            ?? session.config.epochs
        let epochs = scaledEpochs(requested)
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
        let recording = recording(of: "run \(run.id)")
        let recorder = run.storeID.map { recording.resume($0, earlierSeconds: run.trainSeconds) }
            ?? recording.begin(RunStart(dataset: dataset, model: model.spec, config: session.config))
        run.storeID = recorder.runID
        output.text("training \(model.spec) on \(dataset.name) for \(epochs) epoch\(epochs == 1 ? "" : "s")"
                    + (epochs != requested ? " (\(requested) scaled by \(epochScale))" : "") + " — Ctrl-C stops after the current batch")
        output.text(TrainingView.header)
        var epochStart = Date()
        let outcome: TrainingOutcome
        do {
            outcome = try recorder.train(trainer, epochs: epochs, events: { [output] event in
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
        } catch {
            // The trainer has undone the call and the interpreter restores the session; the recorder has ended the
            // store's run as failed (with the epochs that finished) instead of leaving it `running`.
            output.progress(nil)
            throw error
        }
        output.progress(nil)
        recorder.end(after: outcome)
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
            if split == .test, let id = run.storeID {
                recording(of: "the evaluation of run \(run.id)").recorder(for: id).evaluated(result.metrics, inference: timing)
            }
        }
        session.lastEvaluation = result
        return EvaluationView.result(result.metrics, split: word, timing: timing)
    }

    func tune(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectPositionals(0)
        let ranges = arguments.options.filter { !["trials", "epochs"].contains($0.key ?? "") }
        guard !ranges.isEmpty else {
            throw ShellError("missing KEY=RANGE — usage: \(arguments.spec.usage)", at: arguments.command.offset)
        }
        let validKeys = SearchSpace.configKeys + ModelSpec.optionKeys.map(\.key).filter { !SearchSpace.configKeys.contains($0) }
        for range in ranges where !validKeys.contains(range.key ?? "") {
            throw ShellError(Suggestion.unknown("tuning key", range.key ?? "", among: validKeys), at: range.offset)
        }
        let trials = try arguments.option("trials").map { try arguments.integer($0, "trials", in: 1...10_000) } ?? 10
        let requested = try arguments.option("epochs").map { try arguments.integer($0, "epochs", in: 1...100_000) } ?? session.config.epochs
        let epochs = scaledEpochs(requested)
        let model = try currentModel(for: arguments)
        let dataset = try currentDataset(for: arguments)
        let result: TuningResult
        do {
            let space = try SearchSpace(parsing: ranges.map { "\($0.key ?? "")=\($0.value)" }.joined(separator: ", "))
            let tuner = try Tuner(space: space, trials: trials, epochs: epochs)
            output.text("tuning \(model.spec) on \(dataset.name): \(trials) trials, up to \(epochs) epochs each, rungs \(tuner.rungs) — Ctrl-C stops")
            result = try tuner.run(dataset: dataset, spec: model.spec, config: session.config, recording: recording(of: "a trial"), progress: { [output] trial in
                output.text("trial \(trial.index): \(trial.settingsText) — \(trial.status), val F1 \(trial.score.isNaN ? "—" : TrainingView.fixed(trial.score, 4))")
            }, shouldStop: shouldStop)
        } catch let error as TuningError {
            throw ShellError(error.message, at: ranges[0].offset)
        }
        for line in result.table.rendered(as: .text).split(separator: "\n", omittingEmptySubsequences: false) { output.text(String(line)) }
        guard let best = result.best, let trainer = result.bestTrainer else {
            output.text("no trial finished its budget\(result.cancelled ? " (stopped by Ctrl-C)" : ""); settings unchanged")
            return CommandResult(command: "tune", fields: [("trials", .int(result.trials.count)), ("best", .null),
                                                           ("stopped", .string(result.cancelled ? "interrupted" : "completed"))])
        }
        session.dropModel()
        session.config = best.config
        session.model = trainer.model
        session.trainer = trainer
        output.text("best: trial \(best.index) \(best.settingsText) (val F1 \(TrainingView.fixed(best.score, 4))); its settings and trained model are now current")
        return CommandResult(command: "tune", fields: [
            ("trials", .int(result.trials.count)), ("stopped", .string(result.cancelled ? "interrupted" : "completed")),
            ("best", .object([("trial", .int(best.index)), ("settings", .object(best.settings.keys.sorted().map { ($0, .string(best.settings[$0]!)) })),
                              ("val_macro_f1", .double(best.score)), ("model", .string(best.spec.description))])),
            ("config", configJSON(best.config)),
        ])
    }

    func crossValidate(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectPositionals(1)
        try arguments.expectOptions(["folds", "epochs"])
        if let word = arguments.positional(0) { _ = try arguments.expectKeyword(word, among: ["loso"], kind: "cross-validation") }
        var folds = CrossValidation.Folds.leaveOneSubjectOut
        if let option = arguments.option("folds"), option.value != "loso" {
            folds = .subjectGroups(try arguments.integer(option, "folds", in: 2...1000))
        }
        let requested = try arguments.option("epochs").map { try arguments.integer($0, "epochs", in: 1...100_000) } ?? session.config.epochs
        let epochs = scaledEpochs(requested)
        let model = try currentModel(for: arguments)
        let dataset = try currentDataset(for: arguments)
        let result: CrossValidationResult
        do {
            let validation = try CrossValidation(folds: folds, epochs: epochs)
            output.text("cross-validating \(model.spec) on \(dataset.name): \(folds), \(epochs) epochs per fold — Ctrl-C stops")
            result = try validation.run(dataset: dataset, spec: model.spec, config: session.config, recording: recording(of: "a fold"), progress: { [output] fold in
                output.text("fold \(fold.index): test subjects \(fold.testSubjects.map(String.init).joined(separator: " ")), "
                            + "accuracy \(TrainingView.fixed(fold.metrics.accuracy * 100, 2))%, macro F1 \(TrainingView.fixed(fold.metrics.f1Macro, 3))")
            }, shouldStop: shouldStop)
        } catch let error as TuningError {
            throw ShellError(error.message, at: arguments.command.offset)
        }
        for line in result.table.rendered(as: .text).split(separator: "\n", omittingEmptySubsequences: false) { output.text(String(line)) }
        output.text(result.summary)
        return CommandResult(command: "cv", fields: [
            ("folds", .int(result.folds.count)), ("scheme", .string(result.scheme.description)),
            ("accuracy_mean", .double(result.meanAccuracy)), ("accuracy_std", .double(result.stdAccuracy)),
            ("f1_macro_mean", .double(result.meanF1)), ("f1_macro_std", .double(result.stdF1)),
            ("stopped", .string(result.cancelled ? "interrupted" : "completed")),
            ("per_fold", .array(result.folds.map { fold in
                .object([("fold", .int(fold.index)), ("test_subjects", .array(fold.testSubjects.map { .int($0) })),
                         ("accuracy", .double(fold.metrics.accuracy)), ("f1_macro", .double(fold.metrics.f1Macro))])
            })),
        ])
    }

    /// `requested` epochs times `epochScale`, at least 1 and at most `Int.max`: `set epochs 9223372036854775807`
    /// once trapped converting the product back to an integer (found by the full command fuzz).
    func scaledEpochs(_ requested: Int) -> Int {
        let scaled = (Double(requested) * epochScale).rounded()
        if scaled.isNaN { return requested }
        return scaled >= Double(Int.max) ? Int.max : max(1, Int(scaled))
    }
}

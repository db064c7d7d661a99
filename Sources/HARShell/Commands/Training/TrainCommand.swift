import Foundation
import HARKit

/// `train [EPOCHS]`: continues training the current model, recording the run epoch by epoch.
struct TrainCommand: ShellCommand {
    static let spec = CommandSpec("train", family: .training, usage: "train [EPOCHS] [continue] [seeds=N]",
                                  summary: "continue training the current model; one line per epoch",
                                  details: ["Early stopping (set patience N) restores the best weights.",
                                            "Each `train` starts the learning-rate schedule (set schedule) afresh at `set lr`;",
                                            "`train N continue` goes on with the previous train's schedule instead (step keeps",
                                            "its period and keeps decaying; cosine spans the earlier epochs and these).",
                                            "Ctrl-C stops after the current batch, keeps the model, and returns to the prompt.",
                                            "seeds=N trains N fresh models of the current spec (seeds S, S+1, …), evaluates each on the",
                                            "test split and reports one result, mean ± std; the current model is left as it was."],
                                  examples: ["train", "train 30", "train 10 continue", "train 10 seeds=3"], keywords: ["continue"],
                                  positionals: 2, options: [OptionSpec("seeds", .integer(2...1000))])

    /// One finished epoch, said the moment it finishes: a line under `TrainingView.header` and a `--json` line.
    struct Epoch: CommandOutput {
        /// The epoch's losses, scores, learning rate and time.
        var record: EpochRecord

        /// The epoch's aligned line.
        func lines(in layout: TextLayout) -> [String] { [TrainingView.line(record)] }

        /// `epoch`, `train_loss`, `penalty_loss`, `train_accuracy`, `val_loss`, `val_accuracy`, `val_macro_f1`, `lr`,
        /// `seconds`, `windows_per_s`.
        var result: CommandResult {
            CommandResult(command: "train", fields: [
                ("epoch", .int(record.epoch)), ("train_loss", .double(record.trainLoss)),
                ("penalty_loss", .double(record.penaltyLoss)), ("train_accuracy", .double(record.trainAccuracy)),
                ("val_loss", record.validationLoss.map(JSONValue.double) ?? .null),
                ("val_accuracy", record.validationAccuracy.map(JSONValue.double) ?? .null),
                ("val_macro_f1", record.validationMacroF1.map(JSONValue.double) ?? .null),
                ("lr", .double(record.learningRate)), ("seconds", .double(record.seconds)),
                ("windows_per_s", .double(record.windowsPerSecond)),
            ])
        }
    }

    /// How a `train` ended.
    struct Trained: CommandOutput {
        /// The epochs it ran, why it stopped, the epoch early stopping restored.
        var outcome: TrainingOutcome
        /// The session's run the epochs belong to.
        var run: Int

        /// `3 epochs in 1.2 s: completed`, and when Ctrl-C stopped it, that the model keeps its weights.
        func lines(in layout: TextLayout) -> [String] {
            [TrainingView.summary(outcome) + (outcome.reason == .cancelled ? " by Ctrl-C; the model keeps its weights" : "")]
        }

        /// `epochs`, `stopped`, `run`, `restored_epoch`.
        var result: CommandResult {
            CommandResult(command: "train", fields: [
                ("epochs", .int(outcome.records.count)), ("stopped", .string(TrainingView.stopWord(outcome.reason))),
                ("run", .int(run)), ("restored_epoch", outcome.restoredEpoch.map(JSONValue.int) ?? .null),
            ])
        }
    }

    /// One model's training, or (`seeds=N`) several fresh models' as one result.
    enum Output: CommandOutputForms {
        case trained(Trained), repeated(RepeatedTraining)

        var form: any CommandOutput {
            switch self {
            case .trained(let trained): return trained
            case .repeated(let repeated): return repeated
            }
        }
    }

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> Output { try shell.train(arguments) }

    /// On every rank, training the session's model in step; `seeds=N` trains its fresh models here alone.
    static func workerSharing(_ arguments: Arguments) -> WorkerSharing {
        arguments.option("seeds") == nil ? .everyRank(leaves: .trainedInStep) : .alone
    }

    /// The epoch count (nil: `set epochs`) and whether `continue` was given, in either order.
    static func countAndContinuation(_ arguments: Arguments) throws -> (count: Int?, continuing: Bool) {
        var count: Int?, continuing = false
        for word in arguments.positionals {
            if !word.quoted, word.value == "continue", !continuing {
                continuing = true
            } else if count == nil {
                count = try arguments.integer(word, "epoch count", in: 1...100_000)
            } else {
                throw ShellError("unexpected argument '\(word.value)' — usage: \(spec.usage)", at: word.offset)
            }
        }
        return (count, continuing)
    }
}

private extension Interpreter {
    func train(_ arguments: Arguments) throws -> TrainCommand.Output {
        let (count, continuing) = try TrainCommand.countAndContinuation(arguments)
        let requested = count ?? session.config.epochs
        let epochs = scaledEpochs(requested)
        if let seeds = arguments.integerOption("seeds") {
            guard !continuing else {
                throw ShellError("seeds=N trains fresh models, so there is no schedule to continue: drop 'continue'", at: arguments.command.offset)
            }
            return .repeated(try trainSeeds(seeds, epochs: epochs, arguments))
        }
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
        trainer.dataParallel = dataParallel
        var run = session.currentRun ?? SessionRun(id: session.runs.count + 1, dataset: dataset.name, model: model.spec.description,
                                                    config: session.config, trainedModel: model)
        run.config = session.config
        run.precision = trainer.precision.precision
        run.augmentation = session.augmentation?.description
        let isNewRun = session.currentRun == nil
        if isNewRun { run.source = session.modelSource }
        let recording = recording(of: "run \(run.id)")
        let settings = RunSettings(fromEpoch: run.epochs.count + 1, config: session.config, augmentation: run.augmentation)
        run.record(settings)
        var start = RunStart(dataset: dataset, model: model.spec, config: session.config, augmentation: run.augmentation)
        start.source = run.source
        let recorder = run.storeID.map { recording.resume($0, earlierSeconds: run.trainSeconds, start: start, settings: settings) }
            ?? recording.begin(start)
        run.storeID = recorder.runID
        output.text("training \(model.spec) on \(dataset.name) for \(counted(epochs, "epoch"))"
                    + (epochs != requested ? " (\(requested) scaled by \(epochScale))" : "") + " — Ctrl-C stops after the current batch")
        if continuing {
            output.text(trainer.scheduleEpochsDone.map { "continuing the learning-rate schedule after its epoch \($0)" }
                        ?? "no earlier train of this model to continue: the learning-rate schedule starts afresh")
        }
        output.text(TrainingView.header)
        var epochStart = Date()
        let outcome: TrainingOutcome
        do {
            outcome = try recorder.train(trainer, epochs: epochs, continuingSchedule: continuing, events: { [self] event in
                switch event {
                case .epochStarted(let epoch, let batches):
                    epochStart = Date()
                    output.progress(Progress(label: "epoch \(epoch)", done: 0, total: batches, elapsed: 0))
                case .batchFinished(let epoch, let batch, let batches, _):
                    output.progress(Progress(label: "epoch \(epoch)", done: batch, total: batches, elapsed: Date().timeIntervalSince(epochStart)))
                case .epochFinished(let record):
                    output.progress(nil)
                    emit(TrainCommand.Epoch(record: record))
                }
            }, shouldStop: shouldStop)
        } catch let fault as TrainingFault {
            // A lost rank: the trainer kept the finished epochs, so the session keeps them in its run (the recorder
            // has ended the store's run as failed with them and the cause), and the command fails saying so.
            output.progress(nil)
            keep(fault.records, in: run, isNew: isNewRun)
            var error = ShellError(fault.message)
            error.kept = ShellError.Kept(replay: "train \(fault.records.count)" + (continuing ? " continue" : ""), epochs: fault.records.count,
                                         epoch: fault.keptEpoch, run: run.id)
            throw error
        } catch {
            // The trainer has undone the call and the interpreter restores the session; the recorder has ended the
            // store's run as failed (with the epochs that finished) instead of leaving it `running`.
            output.progress(nil)
            throw error
        }
        output.progress(nil)
        recorder.end(after: outcome)
        run.stopped = outcome.reason
        keep(outcome.records, in: run, isNew: isNewRun)
        if outcome.reason == .cancelled {
            replay = outcome.records.isEmpty ? .omitted : .rewritten("train \(outcome.records.count)" + (continuing ? " continue" : ""))
        }
        return .trained(TrainCommand.Trained(outcome: outcome, run: run.id))
    }

    /// Adds `records` to `run` (its evaluation, of earlier weights, dropped) and makes it the session's latest run.
    private func keep(_ records: [EpochRecord], in run: SessionRun, isNew: Bool) {
        var run = run
        run.epochs += records
        run.evaluation = nil
        if isNew { session.runs.append(run) } else { session.runs[session.runs.count - 1] = run }
    }
}

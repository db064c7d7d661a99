import HARKit

/// `tune KEY=RANGE[, …] [trials=N] [epochs=N]`: hyperparameter search that leaves the best config set.
struct TuneCommand: ShellCommand {
    static let spec = CommandSpec("tune", family: .training, usage: "tune KEY=RANGE[, …] [trials=N] [epochs=N]",
                                  summary: "hyperparameter search with successive-halving pruning; leaves the best config set",
                                  details: ["RANGE: lo..hi, lo..hi:log, or choices a|b|c."],
                                  examples: ["tune lr=1e-4..1e-2:log, batch=64|128, dropout=0..0.5 trials=20 epochs=10"],
                                  options: OptionSpec.keys(tunableKeys)
                                      + [OptionSpec("trials", .integer(1...10_000)), OptionSpec("epochs", .integer(1...100_000))],
                                  optionKind: "tuning key")

    /// The settings and model options a search can range over (HARKit's `SearchSpace` reads their ranges).
    static let tunableKeys = SearchSpace.configKeys + ModelSpec.optionKeys.map(\.key).filter { !SearchSpace.configKeys.contains($0) }

    /// The trials' table and the best trial, whose settings and trained model are now current.
    struct Tuned: CommandOutput {
        /// Every trial, the best and whether Ctrl-C stopped the search.
        var search: TuningResult
        /// The session run the best trial's model became; nil when no trial finished.
        var run: Int?

        /// The trials' table, then the best trial or why there is none.
        func lines(in layout: TextLayout) -> [String] {
            TextTable(search.table).render(width: layout.width) + [
                search.best.map { best in
                    "best: trial \(best.index) \(best.settingsText) (val F1 \(TrainingView.fixed(best.score, 4))); its settings and trained model are now current"
                        + (run.map { " (run #\($0))" } ?? "")
                } ?? "no trial finished its budget\(search.cancelled ? " (stopped by Ctrl-C)" : ""); settings unchanged",
            ] + testLine
        }

        /// The search's result: its best trial once on the test split, and where the store holds it.
        private var testLine: [String] {
            guard let best = search.best, let metrics = search.bestTestMetrics else { return [] }
            return ["the search's result: trial \(best.index) on the test split, accuracy \(TrainingView.fixed(metrics.accuracy * 100, 2))%, "
                    + "macro F1 \(TrainingView.fixed(metrics.f1Macro, 3))" + (search.runID.map { " (run \($0) in the store)" } ?? "")]
        }

        /// `trials`, `stopped`, `best` (null when no trial finished), and with a best trial the `config` left set, the
        /// session `run` it became, the search's `store_run` and the best trial's `test_accuracy` and `test_f1_macro`.
        var result: CommandResult {
            let stopped = JSONValue.string(search.cancelled ? "interrupted" : "completed")
            guard let best = search.best else {
                return CommandResult(command: "tune", fields: [("trials", .int(search.trials.count)), ("best", .null), ("stopped", stopped)])
            }
            return CommandResult(command: "tune", fields: [
                ("trials", .int(search.trials.count)), ("stopped", stopped),
                ("best", .object([("trial", .int(best.index)), ("settings", .object(best.settings.keys.sorted().map { ($0, .string(best.settings[$0]!)) })),
                                  ("val_macro_f1", .double(best.score)), ("model", .string(best.spec.description))])),
                ("config", ConfigKey.json(best.config)), ("run", run.map(JSONValue.int) ?? .null),
                ("store_run", search.runID.map { .int(Int($0)) } ?? .null),
                ("test_accuracy", search.bestTestMetrics.map { .double($0.accuracy) } ?? .null),
                ("test_f1_macro", search.bestTestMetrics.map { .double($0.f1Macro) } ?? .null),
            ])
        }
    }

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> Tuned { try shell.tune(arguments) }

    /// On every rank, the trials shared out; the best trial's model, when one is kept, reaches every rank.
    static func workerSharing(_ arguments: Arguments) -> WorkerSharing { .everyRank(leaves: .replacedWhenKept) }
}

private extension Interpreter {
    func tune(_ arguments: Arguments) throws -> TuneCommand.Tuned {
        let ranges = arguments.options.filter { !["trials", "epochs"].contains($0.key ?? "") }
        guard !ranges.isEmpty else {
            throw ShellError("missing KEY=RANGE — usage: \(arguments.spec.usage)", at: arguments.command.offset)
        }
        let trials = arguments.integerOption("trials") ?? 10
        let requested = arguments.integerOption("epochs") ?? session.config.epochs
        let epochs = scaledEpochs(requested)
        let model = try currentModel(for: arguments)
        let dataset = try currentDataset(for: arguments)
        let result: TuningResult
        do {
            let space = try SearchSpace(parsing: ranges.map { "\($0.key ?? "")=\($0.value)" }.joined(separator: ", "))
            let tuner = try Tuner(space: space, trials: trials, epochs: epochs)
            output.text("tuning \(model.spec) on \(dataset.name): \(counted(trials, "trial")), up to \(counted(epochs, "epoch")) each, rungs \(tuner.rungs) — Ctrl-C stops")
            let bar = EpochsProgress(output: output, totalEpochs: tuner.plannedEpochs)
            defer { bar.clear() }
            result = try tuner.run(dataset: dataset, spec: model.spec, config: session.config, recording: recording(of: "a trial"), progress: { [output] trial in
                output.text("trial \(trial.index): \(trial.settingsText) — \(trial.status), val F1 \(trial.score.isNaN ? "—" : TrainingView.fixed(trial.score, 4))")
            }, events: { bar.update($1, of: "trial \($0)/\(trials)") }, shouldStop: shouldStop, job: dataParallel)
        } catch let error as TuningError {
            throw ShellError(error.message, at: ranges[0].offset)
        }
        if let best = result.best, let trainer = result.bestTrainer {
            session.dropModel()
            session.config = best.config
            session.model = trainer.model
            session.trainer = trainer
            adoptCurrentModel(dataset: dataset.name, config: best.config, epochs: best.history, storeID: best.runID,
                              label: "tune: best trial \(best.index) of \(result.trials.count), \(best.settingsText)")
        }
        return TuneCommand.Tuned(search: result, run: result.best == nil ? nil : session.runs.count)
    }
}

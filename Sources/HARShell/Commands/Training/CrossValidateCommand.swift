import HARKit

/// `cv [folds=N|loso] [epochs=N]`: cross-validation by subject, mean ± std.
struct CrossValidateCommand: ShellCommand {
    static let spec = CommandSpec("cv", family: .training, usage: "cv [folds=N|loso] [epochs=N]",
                                  summary: "cross-validation by subject (leave-one-subject-out by default), mean ± std",
                                  examples: ["cv", "cv folds=5 epochs=10"], keywords: ["loso"], keywordKind: "cross-validation",
                                  positionals: 1,
                                  options: [OptionSpec("folds", .integer(2...1000, orWords: ["loso"]), completions: ["loso"]),
                                            OptionSpec("epochs", .integer(1...100_000))])

    /// The folds' scores and their mean ± std.
    struct Validated: CommandOutput {
        /// Every fold that ran, the scheme and whether Ctrl-C stopped it.
        var validation: CrossValidationResult

        /// The per-fold table, the summary line, then the per-subject table (when a fold held out several subjects)
        /// and spread with the worst subject.
        func lines(in layout: TextLayout) -> [String] {
            TextTable(validation.table).render(width: layout.width) + [validation.summary + (validation.runID.map { " — recorded as run \($0), its folds beneath it" } ?? "")]
                + SubjectScoresView.lines(validation.subjects, withTable: validation.folds.contains { $0.testSubjects.count > 1 },
                                          width: layout.width)
        }

        /// `folds`, `scheme`, means and standard deviations of accuracy and macro F1, `stopped`, `store_run`, `per_fold`
        /// (each with the `rank` that trained it in a distributed job), `per_subject`, `subject_spread`.
        var result: CommandResult {
            CommandResult(command: "cv", fields: [
                ("folds", .int(validation.folds.count)), ("scheme", .string(validation.scheme.description)),
                ("accuracy_mean", .double(validation.meanAccuracy)), ("accuracy_std", .double(validation.stdAccuracy)),
                ("f1_macro_mean", .double(validation.meanF1)), ("f1_macro_std", .double(validation.stdF1)),
                ("stopped", .string(validation.cancelled ? "interrupted" : "completed")),
                ("store_run", validation.runID.map { .int(Int($0)) } ?? .null),
                ("per_fold", .array(validation.folds.map { fold in
                    .object([("fold", .int(fold.index)), ("test_subjects", .array(fold.testSubjects.map { .int($0) })),
                             ("accuracy", .double(fold.metrics.accuracy)), ("f1_macro", .double(fold.metrics.f1Macro)),
                             ("rank", fold.rank.map(JSONValue.int) ?? .null)])
                })),
            ] + SubjectScoresView.fields(validation.subjects))
        }
    }

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> Validated { try shell.crossValidate(arguments) }

    /// On every rank, each fold trained whole on one; the session's model stays as it was.
    static func workerSharing(_ arguments: Arguments) -> WorkerSharing { .everyRank(leaves: .untouched) }
}

private extension Interpreter {
    func crossValidate(_ arguments: Arguments) throws -> CrossValidateCommand.Validated {
        var folds = CrossValidation.Folds.leaveOneSubjectOut
        if let count = arguments.integerOption("folds") { folds = .subjectGroups(count) }
        let requested = arguments.integerOption("epochs") ?? session.config.epochs
        let epochs = scaledEpochs(requested)
        let model = try currentModel(for: arguments)
        let dataset = try currentDataset(for: arguments)
        let result: CrossValidationResult
        do {
            let validation = try CrossValidation(folds: folds, epochs: epochs, augmentation: session.augmentation)
            output.text("cross-validating \(model.spec) on \(dataset.name): \(folds), \(counted(epochs, "epoch")) per fold — Ctrl-C stops")
            let foldCount = try validation.testSubjects(of: dataset.subjects, seed: session.config.seed).count
            let bar = EpochsProgress(output: output, totalEpochs: foldCount * epochs)
            defer { bar.clear() }
            result = try validation.run(dataset: dataset, spec: model.spec, config: session.config, recording: recording(of: "a fold"), progress: { [output] fold in
                output.text("fold \(fold.index): test subjects \(fold.testSubjects.map(String.init).joined(separator: " ")), "
                            + "accuracy \(TableValue.percentage(fold.metrics.accuracy).display), macro F1 \(TrainingView.fixed(fold.metrics.f1Macro, 3))"
                            + (fold.rank.map { " (trained on rank \($0))" } ?? ""))
            }, events: { bar.update($1, of: "fold \($0)/\(foldCount)") }, shouldStop: shouldStop, job: dataParallel)
        } catch let error as TuningError {
            throw ShellError(error.message, at: arguments.command.offset)
        }
        return CrossValidateCommand.Validated(validation: result)
    }
}

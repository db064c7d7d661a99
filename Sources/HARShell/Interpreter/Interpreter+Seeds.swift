import HARKit

/// `train … seeds=N`: the same training repeated with N seeds, reported as one result (mean ± std).
extension Interpreter {
    /// Trains `count` fresh models of the current spec for `epochs` epochs with seeds from the configured one on,
    /// evaluates each on the test split, and prints and returns their mean ± std; the current model stays as it was.
    /// - Throws: `ShellError` without a model or dataset; training errors.
    func trainSeeds(_ count: Int, epochs: Int, _ arguments: Arguments) throws -> CommandResult {
        let model = try currentModel(for: arguments)
        let dataset = try currentDataset(for: arguments)
        let repeated: RepeatedSeeds
        do { repeated = try RepeatedSeeds(count: count, epochs: epochs) } catch let error as TuningError {
            throw ShellError(error.message, at: arguments.command.offset)
        }
        output.text("training \(count) fresh \(model.spec) models on \(dataset.name), seeds \(session.config.seed)…"
                    + "\(session.config.seed &+ UInt64(count - 1)), \(epochs) epoch\(epochs == 1 ? "" : "s") each — Ctrl-C stops")
        let result = try repeated.run(dataset: dataset, spec: model.spec, config: session.config, augmentation: session.augmentation,
                                      recording: recording(of: "a seed"), progress: { [output] member in
            output.text("seed \(member.seed): accuracy \(TrainingView.fixed(member.metrics.accuracy * 100, 2))%, "
                        + "macro F1 \(TrainingView.fixed(member.metrics.f1Macro, 3))")
        }, shouldStop: shouldStop)
        output.text(result.summary + (result.runID.map { " — recorded as run \($0), its seeds beneath it" } ?? "")
                    + "; the current model is unchanged")
        let spread = result.spread
        return CommandResult(command: "train", fields: [
            ("seeds", .array(result.members.map { member in
                .object([("seed", .string(String(member.seed))), ("accuracy", .double(member.metrics.accuracy)),
                         ("f1_macro", .double(member.metrics.f1Macro)), ("store_run", member.runID.map { .int(Int($0)) } ?? .null)])
            })),
            ("accuracy_mean", spread.map { .double($0.accuracyMean) } ?? .null), ("accuracy_std", spread.map { .double($0.accuracyStd) } ?? .null),
            ("f1_macro_mean", spread.map { .double($0.f1MacroMean) } ?? .null), ("f1_macro_std", spread.map { .double($0.f1MacroStd) } ?? .null),
            ("stopped", .string(result.cancelled ? "interrupted" : "completed")),
            ("store_run", result.runID.map { .int(Int($0)) } ?? .null),
        ])
    }
}

import HARKit

/// `train … seeds=N`: the same training repeated with N seeds, as one result — each seed's test figures and their
/// mean ± std.
struct RepeatedTraining: CommandOutput {
    /// The seeds' figures, their spread and the store run that holds them.
    var repetition: RepeatedSeedsResult

    /// The summary line, naming the store run and that the current model is unchanged.
    func lines(in layout: TextLayout) -> [String] {
        [repetition.summary + (repetition.runID.map { " — recorded as run \($0), its seeds beneath it" } ?? "")
            + "; the current model is unchanged"]
    }

    /// `seeds` (one object per seed), means and standard deviations of accuracy and macro F1, `stopped`, `store_run`.
    var result: CommandResult {
        let spread = repetition.spread
        return CommandResult(command: "train", fields: [
            ("seeds", .array(repetition.members.map { member in
                .object([("seed", .string(String(member.seed))), ("accuracy", .double(member.metrics.accuracy)),
                         ("f1_macro", .double(member.metrics.f1Macro)), ("store_run", member.runID.map { .int(Int($0)) } ?? .null)])
            })),
            ("accuracy_mean", spread.map { .double($0.accuracyMean) } ?? .null),
            ("accuracy_std", spread.map { .double($0.accuracyStd) } ?? .null),
            ("f1_macro_mean", spread.map { .double($0.f1MacroMean) } ?? .null),
            ("f1_macro_std", spread.map { .double($0.f1MacroStd) } ?? .null),
            ("stopped", .string(repetition.cancelled ? "interrupted" : "completed")),
            ("store_run", repetition.runID.map { .int(Int($0)) } ?? .null),
        ])
    }
}

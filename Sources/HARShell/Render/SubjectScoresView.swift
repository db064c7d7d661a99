import HARKit

/// Per-subject scores as `eval` and `cv` show them: the table (unless the caller's own table is already per subject),
/// the spread line with the worst subject, and the same figures for `--json`.
enum SubjectScoresView {
    /// The per-subject table (when `withTable`) and the `per subject (N): …; worst subject S …` line (two lines, split at
    /// the semicolon, where it is wider than `width`); nothing without subjects.
    static func lines(_ scores: SubjectScores, withTable: Bool = true, width: Int?) -> [String] {
        guard !scores.rows.isEmpty else { return [] }
        let summary = scores.summary
        let fitted = summary.count <= (width ?? .max) ? [summary] : summary.components(separatedBy: "; ")
        return (withTable ? [""] + TextTable(scores.table).render(width: width) : []) + fitted
    }

    /// `per_subject` (list of `{"subject","windows","accuracy","f1_macro"}`) and `subject_spread`
    /// (`{"accuracy_mean","accuracy_std","f1_macro_mean","f1_macro_std","worst_subject"}`; null without subjects).
    static func fields(_ scores: SubjectScores) -> [(String, JSONValue)] {
        let rows = scores.rows.map { row -> JSONValue in
            .object([("subject", .int(row.subject)), ("windows", .int(row.windows)), ("accuracy", .double(row.accuracy)),
                     ("f1_macro", .double(row.f1Macro))])
        }
        let spread: JSONValue = scores.rows.isEmpty ? .null : .object([
            ("accuracy_mean", .double(scores.meanAccuracy)), ("accuracy_std", .double(scores.stdAccuracy)),
            ("f1_macro_mean", .double(scores.meanF1)), ("f1_macro_std", .double(scores.stdF1)),
            ("worst_subject", scores.worst.map { .int($0.subject) } ?? .null),
        ])
        return [("per_subject", .array(rows)), ("subject_spread", spread)]
    }
}

import Foundation

/// One fold of a cross-validation: who was held out and how the model did on them.
public struct CrossValidationFold: Sendable {
    /// 1-based fold number.
    public let index: Int
    /// The held-out subjects.
    public let testSubjects: [Int]
    /// Test windows of the fold.
    public let testWindows: Int
    /// Test metrics of the fold's model.
    public let metrics: ClassificationMetrics
    /// The fold's training epochs.
    public let history: [EpochRecord]
    /// The fold's run in the run store, when recorded.
    public let runID: Int64?
    /// Test accuracy and macro F1 of each held-out subject of the fold (none unless given).
    public var subjects = SubjectScores(rows: [])
    /// The rank of the distributed job that trained the fold; nil when one process ran the cross-validation.
    public var rank: Int?
}

/// The folds of a cross-validation with the mean and standard deviation of accuracy and macro F1 over folds.
public struct CrossValidationResult: Sendable {
    /// The folds run, in order.
    public let folds: [CrossValidationFold]
    /// The fold scheme.
    public let scheme: CrossValidation.Folds
    /// Whether it was stopped before every fold ran.
    public let cancelled: Bool
    /// The cross-validation's run in the run store (the whole result its folds belong to), when recorded.
    public var runID: Int64?

    /// Mean test accuracy over folds.
    public var meanAccuracy: Double { SampleStatistics.mean(folds.map(\.metrics.accuracy)) }
    /// Sample standard deviation (n − 1) of test accuracy over folds (0 for one fold).
    public var stdAccuracy: Double { SampleStatistics.standardDeviation(folds.map(\.metrics.accuracy)) }
    /// Mean test macro F1 over folds.
    public var meanF1: Double { SampleStatistics.mean(folds.map(\.metrics.f1Macro)) }
    /// Sample standard deviation (n − 1) of test macro F1 over folds.
    public var stdF1: Double { SampleStatistics.standardDeviation(folds.map(\.metrics.f1Macro)) }

    /// Test accuracy and macro F1 of every held-out subject over all folds (one row per subject; with
    /// leave-one-subject-out, one per fold).
    public var subjects: SubjectScores { SubjectScores(rows: folds.flatMap(\.subjects.rows)) }

    /// Per-fold rows, then a mean row and a standard-deviation row.
    public var table: RunTable {
        let columns = [("fold", "fold"), ("test_subjects", "test subjects"), ("test_windows", "windows"), ("accuracy", "accuracy"),
                       ("f1_macro", "F1"), ("run", "run")]
        var rows = folds.map { fold -> [TableValue] in
            [.text(String(fold.index)), .text(fold.testSubjects.map(String.init).joined(separator: ",")), .integer(Int64(fold.testWindows)),
             RunTable.accuracy(fold.metrics.accuracy), RunTable.score(fold.metrics.f1Macro), fold.runID.map(TableValue.integer) ?? .missing]
        }
        if !folds.isEmpty {
            rows.append([.text("mean"), .missing, .integer(Int64(folds.reduce(0) { $0 + $1.testWindows })),
                         RunTable.accuracy(meanAccuracy), RunTable.score(meanF1), .missing])
            rows.append([.text("± std"), .missing, .missing, RunTable.accuracy(stdAccuracy), RunTable.score(stdF1), .missing])
        }
        return RunTable(columns: columns.map(RunTable.Column.init), rows: rows)
    }

    /// "accuracy 91.23% ± 1.50%, macro F1 0.905 ± 0.016 over 5 folds (leave-one-subject-out)".
    public var summary: String {
        "accuracy \(TableValue.percentage(meanAccuracy).display) ± \(TableValue.percentage(stdAccuracy).display), "
            + String(format: "macro F1 %.3f ± %.3f", meanF1, stdF1)
            + " over \(counted(folds.count, "fold")) (\(scheme))"
    }
}

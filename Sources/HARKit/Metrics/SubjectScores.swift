import Foundation

/// Accuracy and macro F1 per subject of an evaluation, with their spread across subjects and the worst subject:
/// how a model does on each person, not only on all windows pooled.
public struct SubjectScores: Sendable, Equatable, Codable {
    /// One subject's scores.
    public struct Row: Sendable, Equatable, Codable {
        /// The subject id.
        public let subject: Int
        /// The subject's windows evaluated.
        public let windows: Int
        /// Accuracy over the subject's windows.
        public let accuracy: Double
        /// Macro F1 over the subject's windows (classes present in its labels or predictions).
        public let f1Macro: Double
    }

    /// One row per subject, by subject id.
    public let rows: [Row]

    /// Rows as given (sorted by subject).
    public init(rows: [Row]) { self.rows = rows.sorted { $0.subject < $1.subject } }

    /// Scores of windows whose true classes are `labels`, predicted `predictions`, recorded from `subjects`
    /// (all three in the same order), over `classNames.count` classes.
    public init(labels: [Int], predictions: [Int], subjects: [Int], classNames: [String]) {
        var bySubject: [Int: (labels: [Int], predictions: [Int])] = [:]
        for (position, subject) in subjects.enumerated() {
            bySubject[subject, default: ([], [])].labels.append(labels[position])
            bySubject[subject, default: ([], [])].predictions.append(predictions[position])
        }
        self.init(rows: bySubject.map { subject, pair in
            let metrics = ClassificationMetrics(labels: pair.labels, predictions: pair.predictions, classNames: classNames)
            return Row(subject: subject, windows: pair.labels.count, accuracy: metrics.accuracy, f1Macro: metrics.f1Macro)
        })
    }

    /// Mean accuracy over subjects (each subject counts once, whatever its windows).
    public var meanAccuracy: Double { SampleStatistics.mean(rows.map(\.accuracy)) }
    /// Sample standard deviation (n − 1) of accuracy over subjects (0 for one subject).
    public var stdAccuracy: Double { SampleStatistics.standardDeviation(rows.map(\.accuracy)) }
    /// Mean macro F1 over subjects.
    public var meanF1: Double { SampleStatistics.mean(rows.map(\.f1Macro)) }
    /// Sample standard deviation (n − 1) of macro F1 over subjects.
    public var stdF1: Double { SampleStatistics.standardDeviation(rows.map(\.f1Macro)) }

    /// The subject with the lowest macro F1 (then the lowest accuracy, then the lowest id); nil without subjects.
    public var worst: Row? {
        rows.min { ($0.f1Macro, $0.accuracy, $0.subject) < ($1.f1Macro, $1.accuracy, $1.subject) }
    }

    /// One row per subject (subject, windows, accuracy, F1).
    public var table: RunTable {
        let columns = [("subject", "subject"), ("windows", "windows"), ("accuracy", "accuracy"), ("f1_macro", "F1")]
        return RunTable(columns: columns.map(RunTable.Column.init), rows: rows.map { row in
            [.integer(Int64(row.subject)), .integer(Int64(row.windows)), RunTable.accuracy(row.accuracy), RunTable.score(row.f1Macro)]
        })
    }

    /// "per subject (6): accuracy 91.23% ± 4.50%, macro F1 0.905 ± 0.046; worst subject 3 (F1 0.812, accuracy 83.10%)".
    public var summary: String {
        var text = "per subject (\(rows.count)): accuracy \(TableValue.percentage(meanAccuracy).display) ± "
            + "\(TableValue.percentage(stdAccuracy).display), " + String(format: "macro F1 %.3f ± %.3f", meanF1, stdF1)
        if let worst {
            text += "; worst subject \(worst.subject) (" + String(format: "F1 %.3f", worst.f1Macro)
                + ", accuracy \(TableValue.percentage(worst.accuracy).display))"
        }
        return text
    }
}

extension SubjectScores {
    /// The per-subject scores of `result`, an evaluation of `dataset` (whose `subjects` name each window's subject).
    public init(_ result: Evaluator.Result, of dataset: HARDataset) {
        self.init(labels: result.labels, predictions: result.predictions, subjects: result.indices.map { dataset.subjects[$0] },
                  classNames: dataset.classNames)
    }
}

/// Accuracy, precision, recall and F1 (per class, macro and weighted) from a confusion matrix.
///
/// Conventions (as scikit-learn with `zero_division=0`): a class never predicted has precision 0;
/// a class absent from the labels has recall 0 and support 0. Macro averages run over the classes
/// present in the labels or the predictions; weighted averages weigh by support.
public struct ClassificationMetrics: Sendable, Equatable, Codable {
    /// One class's scores.
    public struct PerClass: Sendable, Equatable, Codable {
        public let name: String
        public let precision: Double
        public let recall: Double
        public let f1: Double
        /// Windows of this class in the labels.
        public let support: Int
    }

    public let confusion: ConfusionMatrix
    public let accuracy: Double
    public let perClass: [PerClass]
    public let precisionMacro: Double
    public let recallMacro: Double
    public let f1Macro: Double
    public let precisionWeighted: Double
    public let recallWeighted: Double
    public let f1Weighted: Double

    /// Metrics for `confusion`, with `classNames` (numbered when shorter).
    public init(confusion: ConfusionMatrix, classNames: [String] = []) {
        self.confusion = confusion
        let k = confusion.classes, counts = confusion.counts
        let total = confusion.total
        let correct = (0..<k).reduce(0) { $0 + counts[$1][$1] }
        accuracy = total == 0 ? 0 : Double(correct) / Double(total)
        var rows: [PerClass] = [], present: [Int] = []
        for c in 0..<k {
            let truePositive = Double(counts[c][c])
            let support = counts[c].reduce(0, +)
            let predicted = (0..<k).reduce(0) { $0 + counts[$1][c] }
            let precision = predicted == 0 ? 0 : truePositive / Double(predicted)
            let recall = support == 0 ? 0 : truePositive / Double(support)
            let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
            rows.append(PerClass(name: c < classNames.count ? classNames[c] : "class \(c)", precision: precision, recall: recall, f1: f1, support: support))
            if support > 0 || predicted > 0 { present.append(c) }
        }
        perClass = rows
        func macro(_ value: (PerClass) -> Double) -> Double {
            present.isEmpty ? 0 : present.reduce(0) { $0 + value(rows[$1]) } / Double(present.count)
        }
        func weighted(_ value: (PerClass) -> Double) -> Double {
            total == 0 ? 0 : rows.reduce(0) { $0 + value($1) * Double($1.support) } / Double(total)
        }
        precisionMacro = macro(\.precision)
        recallMacro = macro(\.recall)
        f1Macro = macro(\.f1)
        precisionWeighted = weighted(\.precision)
        recallWeighted = weighted(\.recall)
        f1Weighted = weighted(\.f1)
    }

    /// Metrics for paired labels and predictions over `classNames.count` classes.
    public init(labels: [Int], predictions: [Int], classNames: [String]) {
        self.init(confusion: ConfusionMatrix(labels: labels, predictions: predictions, classes: classNames.count), classNames: classNames)
    }
}

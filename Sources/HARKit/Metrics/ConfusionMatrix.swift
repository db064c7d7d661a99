/// Counts of (true class, predicted class) pairs; rows are true classes.
public struct ConfusionMatrix: Sendable, Equatable, Codable {
    /// `counts[t][p]`: windows of true class t predicted as p.
    public private(set) var counts: [[Int]]

    /// An all-zero matrix for `classes` classes.
    public init(classes: Int) { counts = Array(repeating: Array(repeating: 0, count: classes), count: classes) }

    /// A matrix from paired labels and predictions.
    /// - Precondition: every value is in 0..<classes.
    public init(labels: [Int], predictions: [Int], classes: Int) {
        self.init(classes: classes)
        for (t, p) in zip(labels, predictions) { counts[t][p] += 1 }
    }

    /// The number of classes.
    public var classes: Int { counts.count }

    /// All windows counted.
    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }

    /// Each row divided by its total (rows of absent classes stay zero).
    public var rowNormalized: [[Double]] {
        counts.map { row in
            let sum = row.reduce(0, +)
            return row.map { sum == 0 ? 0 : Double($0) / Double(sum) }
        }
    }

    /// Adds one prediction.
    public mutating func add(label: Int, prediction: Int) { counts[label][prediction] += 1 }
}

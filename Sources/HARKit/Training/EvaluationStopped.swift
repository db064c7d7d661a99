/// An evaluation stopped by its `shouldStop` (Ctrl-C) before its last batch: it has no result.
public struct EvaluationStopped: Error, Sendable, Equatable, CustomStringConvertible {
    /// The split being evaluated.
    public let split: DatasetSplit
    /// The batches evaluated before it stopped.
    public let batchesDone: Int
    /// The batches of the whole split.
    public let batches: Int

    /// `evaluation of the test split stopped after 3 of 10 batches`.
    public var description: String {
        "evaluation of the \(split.rawValue) split stopped after \(batchesDone) of \(batches) batch\(batches == 1 ? "" : "es")"
    }
}

/// The trained weights a run started from (`model from #RUN|FILE`): the checkpoint file that was read, and the run
/// that saved it when the source was named by its run id.
public struct ModelSource: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The run whose checkpoint it was (`model from #5`); nil when the source was named as a file.
    public var run: Int64?
    /// The checkpoint file read, as an absolute path.
    public var checkpoint: String

    /// Weights read from `checkpoint`, saved by `run` when the source was named by its run id.
    public init(run: Int64? = nil, checkpoint: String) {
        self.run = run
        self.checkpoint = checkpoint
    }

    /// `#5 (/runs/sa.ckpt)` for a run's checkpoint, the path alone for a file.
    public var description: String { run.map { "#\($0) (\(checkpoint))" } ?? checkpoint }
}

/// A user-facing error of the command language: a message and, when one word was wrong,
/// the character offset of that word in the command's source.
public struct ShellError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, in words a person can act on.
    public var message: String
    /// Character offset of the offending word in the source line, when there is one.
    public var position: Int?
    /// Set when the command failed part-way but what it finished stands (a data-parallel `train` that lost a rank
    /// keeps its finished epochs): the interpreter then keeps the session's changes instead of undoing them.
    public var kept: Kept?

    /// What a `train` cut short by a lost rank kept.
    public struct Kept: Sendable, Equatable {
        /// The line that replays it (`train 3`), which goes to the history and the recording.
        public var replay: String
        /// The epochs of the command that finished and stand.
        public var epochs: Int
        /// The epoch, numbered in the model's whole history, whose weights the model keeps.
        public var epoch: Int
        /// The session run the epochs belong to.
        public var run: Int

        /// `kept_epochs`, `kept_epoch`, `run`: added to the failed command's `--json` result.
        var fields: [(String, JSONValue)] { [("kept_epochs", .int(epochs)), ("kept_epoch", .int(epoch)), ("run", .int(run))] }
    }

    /// An error with a message and an optional position.
    public init(_ message: String, at position: Int? = nil) {
        self.message = message
        self.position = position
    }

    /// The message.
    public var description: String { message }

    /// The error with `offset` added to its position (used when a command sits inside a longer line).
    public func shifted(by offset: Int) -> ShellError {
        var shifted = self
        shifted.position = position.map { $0 + offset }
        return shifted
    }
}

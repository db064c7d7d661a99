/// One command the user gave, as written back for a script, and whether it succeeded.
public struct HistoryEntry: Sendable, Equatable {
    /// The command as one script line.
    public var command: String
    /// Whether it succeeded.
    public var succeeded: Bool
    /// Whether it belongs in a replayable script (`CommandSpec.replayable`).
    public var replayable: Bool

    /// An entry.
    public init(command: String, succeeded: Bool, replayable: Bool) {
        self.command = command
        self.succeeded = succeeded
        self.replayable = replayable
    }
}

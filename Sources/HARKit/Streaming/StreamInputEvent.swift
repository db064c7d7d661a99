/// What a `StreamInput` saw while waiting once.
public enum StreamInputEvent: Sendable, Equatable {
    /// Complete lines that arrived, in order, without their line ends.
    case lines([String])
    /// Nothing arrived within the wait.
    case idle
    /// A TCP client connected (its address): a new stretch of the stream begins.
    case connected(String)
    /// The TCP client disconnected (its address); the input waits for the next one.
    case disconnected(String)
    /// The followed file shrank (rewritten or truncated): it is read again from its start.
    case truncated
    /// Standard input ended: the stream is over.
    case ended
}

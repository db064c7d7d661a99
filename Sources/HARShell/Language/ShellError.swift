/// A user-facing error of the command language: a message and, when one word was wrong,
/// the character offset of that word in the command's source.
public struct ShellError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, in words a person can act on.
    public var message: String
    /// Character offset of the offending word in the source line, when there is one.
    public var position: Int?

    /// An error with a message and an optional position.
    public init(_ message: String, at position: Int? = nil) {
        self.message = message
        self.position = position
    }

    /// The message.
    public var description: String { message }

    /// The error with `offset` added to its position (used when a command sits inside a longer line).
    public func shifted(by offset: Int) -> ShellError {
        ShellError(message, at: position.map { $0 + offset })
    }
}

/// A file that could not be written or read, with a message naming the path and why.
public struct FileError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A message a person can act on.
    public let message: String

    /// Creates an error with the given message.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

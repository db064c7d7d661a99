/// A checkpoint that could not be written, read or applied, with a message naming the file and what did not fit.
public struct CheckpointError: HARKitError, Equatable {
    /// What went wrong.
    public let message: String

    /// An error with `message`.
    public init(_ message: String) { self.message = message }
}

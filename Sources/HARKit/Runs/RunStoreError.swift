/// A run store that could not be opened, read or written, with a message a person can act on.
public struct RunStoreError: HARKitError, Equatable {
    /// What went wrong, naming the store file, run id or value.
    public let message: String

    /// An error with `message`.
    public init(_ message: String) { self.message = message }
}

/// A model given input it was not built for, with a message naming the shape it expects and the one it got.
public struct ModelError: HARKitError, Equatable {
    /// What went wrong.
    public let message: String

    /// An error with `message`.
    public init(_ message: String) { self.message = message }
}

/// A training, search or cross-validation that could not be set up or run, with a message naming the key, value or trial.
public struct TuningError: HARKitError, Equatable {
    /// What went wrong.
    public let message: String

    /// An error with `message`.
    public init(_ message: String) { self.message = message }
}

/// A replay that cannot start: no continuous recordings, an absent subject or recording, an empty selection.
public struct ReplayError: HARKitError, Equatable {
    /// A message a person can act on.
    public let message: String

    /// Creates an error with the given message.
    public init(_ message: String) { self.message = message }
}

/// A distributed job that cannot start or cannot go on: a launch variable that is missing or wrong, a master that
/// does not answer, a port in use, ranks that disagree on what they run, a rank that died.
public struct DistributedError: HARKitError, Equatable {
    /// What went wrong, naming the variable, rank or address.
    public let message: String

    /// Creates an error with the given message.
    public init(_ message: String) { self.message = message }
}

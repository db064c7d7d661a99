/// A distributed job that cannot start or cannot go on: a launch variable that is missing or wrong, a master that
/// does not answer, a port in use, ranks that disagree on what they run, a rank that died.
public struct DistributedError: HARKitError, Equatable {
    /// What went wrong, naming the variable, rank or address.
    public let message: String
    /// Whether a collective or store call failed (a rank stopped, or did not answer within the timeout), as opposed to
    /// a difference the ranks found or a launch that was wrong: then the lost rank may be named (`namingLostRanks`).
    public let collectiveFailed: Bool

    /// Creates an error with the given message; `collectiveFailed` when a libtorch call between the ranks failed.
    public init(_ message: String, collectiveFailed: Bool = false) {
        self.message = message
        self.collectiveFailed = collectiveFailed
    }
}

/// A stream that cannot be recognised at all (a header or sample shape that does not fit the model, a sample rate
/// the configuration refuses): the stream ends with this message.
public struct StreamError: HARKitError, Equatable {
    /// What went wrong, naming the line, column or rate.
    public let message: String

    /// An error with `message`.
    public init(_ message: String) { self.message = message }
}

/// One sample line or sample that is skipped (not a number, not finite, a timestamp that does not advance, a line
/// with the wrong number of values once the layout is known): the stream goes on without it.
public struct MalformedSample: HARKitError, Equatable {
    /// The 1-based line number, when the sample came from a line.
    public let line: Int?
    /// Why the sample was skipped.
    public let reason: String

    /// A skipped sample: `reason` at `line`.
    public init(line: Int? = nil, _ reason: String) { (self.line, self.reason) = (line, reason) }

    /// `line N: reason`, or the reason alone.
    public var message: String { line.map { "line \($0): \(reason)" } ?? reason }

    /// The same error placed at `line`.
    public func at(line: Int) -> MalformedSample { MalformedSample(line: line, reason) }
}

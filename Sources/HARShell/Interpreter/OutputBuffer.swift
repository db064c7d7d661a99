/// An output sink that keeps everything in memory: for tests and for embedding the interpreter.
public final class OutputBuffer: OutputSink {
    /// Human-readable lines, in order.
    public private(set) var lines: [String] = []
    /// Structured results, in order.
    public private(set) var results: [CommandResult] = []
    /// Errors with the source they arose in and its origin (`file:line`).
    public private(set) var errors: [(error: ShellError, source: String, origin: String?)] = []
    /// Progress reports, in order.
    public private(set) var progressReports: [Progress] = []
    /// Warnings, in order.
    public private(set) var warnings: [String] = []
    /// The columns text may use, as a terminal of that width would give; nil (the default) for no limit.
    public var columns: Int?

    /// An empty buffer.
    public init() {}

    /// All text lines joined by newlines.
    public var transcript: String { lines.joined(separator: "\n") }

    /// Forgets everything captured so far.
    public func clear() {
        lines = []
        results = []
        errors = []
        progressReports = []
        warnings = []
    }

    /// Keeps a text line.
    public func text(_ line: String) { lines.append(line) }
    /// Keeps a result.
    public func result(_ result: CommandResult) { results.append(result) }
    /// Keeps an error with its source and origin.
    public func error(_ error: ShellError, source: String, origin: String?) { errors.append((error, source, origin)) }
    /// Keeps a progress report (a clear is not kept).
    public func progress(_ progress: Progress?) { if let progress { progressReports.append(progress) } }
    /// Keeps a warning.
    public func warning(_ message: String) { warnings.append(message) }
}

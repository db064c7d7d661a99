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
    /// Whether commands should draw a live status line, as on a terminal (false by default: a line per event).
    public var showsLiveStatus = false
    /// Live status lines drawn, in order (a clear is not kept).
    public private(set) var statusLines: [String] = []

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
        statusLines = []
    }

    /// Keeps a text line.
    public func text(_ line: String) { lines.append(line) }
    /// Keeps a result.
    public func result(_ result: CommandResult) { results.append(result) }
    /// Keeps an error with its source and origin.
    public func error(_ error: ShellError, source: String, origin: String?) { errors.append((error, source, origin)) }
    /// Keeps a progress report (a clear is not kept).
    public func progress(_ progress: Progress?) { if let progress { progressReports.append(progress) } }
    /// Keeps a live status line (a clear is not kept).
    public func status(_ line: String?) { if let line { statusLines.append(line) } }
    /// Keeps a warning.
    public func warning(_ message: String) { warnings.append(message) }
}

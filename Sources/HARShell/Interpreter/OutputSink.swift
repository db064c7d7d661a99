/// Where the interpreter writes: human-readable lines, structured results, errors and progress.
/// The terminal front end renders them; tests capture them (`OutputBuffer`).
public protocol OutputSink: AnyObject {
    /// A line of human-readable output.
    func text(_ line: String)
    /// A command's structured result (`--json` prints it as one line).
    func result(_ result: CommandResult)
    /// A failed command: the error, the source line it arose in (for the caret), and where that line came from.
    func error(_ error: ShellError, source: String, origin: String?)
    /// Progress of a long command (an epoch's batches); nil clears the progress line.
    func progress(_ progress: Progress?)
    /// Something the user must know that is not the command's output (a run that could not be recorded):
    /// the terminal prints it on standard error, so it is seen even when standard output goes elsewhere.
    func warning(_ message: String)
    /// The columns text may use (tables and matrices fit their layout to it); nil for no limit.
    var columns: Int? { get }
    /// Whether the sink redraws one live status line in place (text on a terminal, not `--json`): `stream` then
    /// shows its activity bar there instead of writing a line per prediction.
    var showsLiveStatus: Bool { get }
    /// Redraws the live status line in place (nil clears it); a sink without one ignores it.
    func status(_ line: String?)
}

extension OutputSink {
    /// No limit unless the sink knows one.
    public var columns: Int? { nil }
    /// No live line unless the sink draws one.
    public var showsLiveStatus: Bool { false }
    /// Nothing to redraw unless the sink draws a live line.
    public func status(_ line: String?) {}
}

/// How far a long-running step has come, for a progress bar with ETA.
public struct Progress: Sendable, Equatable {
    /// What is running (`epoch 3/30`).
    public var label: String
    /// Units done.
    public var done: Int
    /// Units in all.
    public var total: Int
    /// Seconds since the step started.
    public var elapsed: Double
    /// Units done counting the one under way in part (2.25 epochs a quarter into the third), for the bar and the ETA;
    /// `done` is shown as the count.
    public var exactDone: Double

    /// A progress report; `exactDone` defaults to `done`.
    public init(label: String, done: Int, total: Int, elapsed: Double, exactDone: Double? = nil) {
        self.label = label
        self.done = done
        self.total = total
        self.elapsed = elapsed
        self.exactDone = exactDone ?? Double(done)
    }

    /// The fraction of the step done, in [0, 1].
    public var fraction: Double { total > 0 ? min(1, max(0, exactDone / Double(total))) : 0 }

    /// Estimated seconds left, from the rate so far; nil before any work is done.
    public var remaining: Double? {
        guard exactDone > 0, Double(total) >= exactDone else { return nil }
        return elapsed / exactDone * (Double(total) - exactDone)
    }
}

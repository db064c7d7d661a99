/// Where the interactive loop reads lines: libedit on a terminal (in the `har` executable),
/// standard input otherwise, a list of lines in tests.
public protocol LineSource: AnyObject {
    /// The next line typed after `prompt`.
    func readLine(prompt: String) -> LineInput
    /// Remembers a line for recall (the terminal's history).
    func addHistory(_ line: String)
}

/// What reading a line came to.
public enum LineInput: Sendable, Equatable {
    /// A line (without its line break).
    case line(String)
    /// Ctrl-C at the prompt: the line was dropped.
    case interrupted
    /// End of input (Ctrl-D, end of file).
    case end
}

/// Lines from standard input without editing (stdin not a terminal).
public final class StandardInputLines: LineSource {
    /// A reader of standard input.
    public init() {}

    /// The next line of standard input; the prompt is not shown.
    public func readLine(prompt: String) -> LineInput {
        Swift.readLine(strippingNewline: true).map(LineInput.line) ?? .end
    }

    /// Standard input keeps no history.
    public func addHistory(_ line: String) {}
}

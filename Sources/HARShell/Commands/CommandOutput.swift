/// A command's result as one typed value that renders both ways — the lines a person reads and the `--json`
/// line — so the text and the JSON are written in one place and cannot disagree.
protocol CommandOutput {
    /// The text lines, in order.
    var lines: [String] { get }
    /// The structured result (`--json`'s line).
    var result: CommandResult { get }
}

extension Interpreter {
    /// Writes `value`'s lines to the output and returns its structured result.
    func emit(_ value: some CommandOutput) -> CommandResult {
        for line in value.lines { output.text(line) }
        return value.result
    }
}

/// A command's result as one typed value that renders both ways — the lines a person reads and the `--json`
/// line — so the text and the JSON are derived from the same stored fields and cannot disagree.
///
/// `run(in:)` of every `ShellCommand` returns one; the interpreter renders it (`Interpreter.emit`) once the command
/// has succeeded. What a long command says while it runs (an epoch's line, a fold's score, a progress bar) is
/// written as it happens, as values of its own where it has a `--json` line (`EpochOutput`).
protocol CommandOutput {
    /// The text lines, in order, laid out for `layout` (colours on a terminal).
    func lines(in layout: TextLayout) -> [String]
    /// The structured result (`--json`'s line).
    var result: CommandResult { get }
    /// What the user must know besides the output (standard error on a terminal), said after the lines.
    var warnings: [String] { get }
}

extension CommandOutput {
    var warnings: [String] { [] }
}

/// The output of a command with several forms (`load NAME` / `load model FILE`): an enum whose cases hold each
/// form's output, rendered by the case it is.
protocol CommandOutputForms: CommandOutput {
    /// The output of the form this value is.
    var form: any CommandOutput { get }
}

extension CommandOutputForms {
    func lines(in layout: TextLayout) -> [String] { form.lines(in: layout) }
    var result: CommandResult { form.result }
    var warnings: [String] { form.warnings }
}

/// How text output is laid out where it goes.
struct TextLayout {
    /// Colours (on a terminal without `NO_COLOR`) or none.
    var style: Style
    /// The columns a line may take (the terminal's width, `COLUMNS`, or a default off a terminal); nil for no limit.
    var width: Int? = nil
}

extension Interpreter {
    /// The layout of this interpreter's text output, its width asked of the sink now.
    var textLayout: TextLayout { TextLayout(style: style, width: output.columns) }

    /// Writes `value`'s lines and warnings to the output and its structured result.
    func emit(_ value: some CommandOutput) {
        for line in value.lines(in: textLayout) { output.text(line) }
        for warning in value.warnings { output.warning(warning) }
        output.result(value.result)
    }
}

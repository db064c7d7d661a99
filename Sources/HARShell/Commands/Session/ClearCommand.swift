/// `clear`: clears the terminal screen; off a terminal (a pipe, a file, `--json`, `NO_COLOR`) it writes nothing.
struct ClearCommand: ShellCommand {
    static let spec = CommandSpec("clear", family: .session, usage: "clear",
                                  summary: "clear the terminal screen (writes nothing when the output is not a terminal)",
                                  examples: ["clear"], replayable: false)

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> CommandResult {
        // Escape codes go only where the shell's style emits them: text output on a terminal, without NO_COLOR.
        let onTerminal = shell.style.colour
        if onTerminal { shell.output.text("\u{1B}[H\u{1B}[2J\u{1B}[3J") }
        return CommandResult(command: "clear", fields: [("cleared", .bool(onTerminal))])
    }
}

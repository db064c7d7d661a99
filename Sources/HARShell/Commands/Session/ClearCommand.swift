/// `clear`: clears the terminal screen; off a terminal (a pipe, a file, `--json`, `NO_COLOR`) it writes nothing.
struct ClearCommand: ShellCommand {
    static let spec = CommandSpec("clear", family: .session, usage: "clear",
                                  summary: "clear the terminal screen (writes nothing when the output is not a terminal)",
                                  examples: ["clear"], replayable: false)

    /// Whether the screen was cleared.
    struct Cleared: CommandOutput {
        /// True on a terminal: escape codes go only where the shell's style emits them (text output on a terminal,
        /// without `NO_COLOR`).
        var onTerminal: Bool

        /// The escape codes that clear the screen and its scrollback, on a terminal; nothing elsewhere.
        func lines(in layout: TextLayout) -> [String] { onTerminal ? ["\u{1B}[H\u{1B}[2J\u{1B}[3J"] : [] }

        /// `cleared`.
        var result: CommandResult { CommandResult(command: "clear", fields: [("cleared", .bool(onTerminal))]) }
    }

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> Cleared { Cleared(onTerminal: shell.style.colour) }
}

/// `quit` / `exit`: leaves the shell.
struct QuitCommand: ShellCommand {
    static let spec = CommandSpec("quit", aliases: ["exit"], family: .session, usage: "quit",
                                  summary: "leave the shell (also exit, Ctrl-D)", examples: ["quit"], replayable: false)

    /// Leaving says nothing and has no fields.
    struct Left: CommandOutput {
        /// No lines.
        func lines(in layout: TextLayout) -> [String] { [] }
        /// No fields.
        var result: CommandResult { CommandResult(command: "quit") }
    }

    let arguments: Arguments

    static let endsSession = true

    func run(in shell: Interpreter) throws -> Left { Left() }
}

/// `quit` / `exit`: leaves the shell.
struct QuitCommand: ShellCommand {
    static let spec = CommandSpec("quit", aliases: ["exit"], family: .session, usage: "quit",
                                  summary: "leave the shell (also exit, Ctrl-D)", examples: ["quit"], replayable: false)

    let arguments: Arguments

    static let endsSession = true

    func run(in shell: Interpreter) throws -> CommandResult { CommandResult(command: "quit") }
}

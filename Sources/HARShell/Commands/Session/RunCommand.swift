/// `run FILE`: a script's commands inside the session, each its own transaction.
struct RunCommand: ShellCommand {
    static let spec = CommandSpec("run", family: .session, usage: "run FILE",
                                  summary: "execute a script inside the session (nested; stops at its first error)",
                                  details: ["An error names the script's file and line. Commands before it keep their effect."],
                                  examples: ["run examples/quickstart.har"], positionals: 1, completions: [.files])

    /// The script that ran; its commands said what they did as they ran.
    struct Ran: CommandOutput {
        /// The script as written.
        var script: String

        /// No lines of its own.
        func lines(in layout: TextLayout) -> [String] { [] }

        /// `script`.
        var result: CommandResult { CommandResult(command: "run", fields: [("script", .string(script))]) }
    }

    let arguments: Arguments

    /// The script's commands are transactions of their own: those before its failing one keep their effect.
    static let isTransaction = false

    /// Each command of the script goes to the workers or not as the same command typed would.
    static func workerSharing(_ arguments: Arguments) -> WorkerSharing { .byItsCommands }

    func run(in shell: Interpreter) throws -> Ran { try shell.runScript(arguments) }
}

private extension Interpreter {
    func runScript(_ arguments: Arguments) throws -> RunCommand.Ran {
        let argument = try arguments.required(0, "script file")
        let url = resolve(argument.value)
        let text: String
        do { text = try ScriptFile.read(url) } catch let error as ShellError { throw ShellError(error.message, at: argument.offset) }
        guard scriptDepth < maximumScriptDepth else {
            throw ShellError("scripts nested more than \(maximumScriptDepth) deep (does '\(argument.value)' run itself?)", at: argument.offset)
        }
        scriptDepth += 1
        defer { scriptDepth -= 1 }
        let outcome = executeScript(text, name: argument.value)
        if outcome == .failure {
            throw ShellError("script '\(argument.value)' stopped at its first error", at: argument.offset)
        }
        return RunCommand.Ran(script: argument.value)
    }
}

/// `reset [model|data|all]`: drops the model, the datasets, or everything.
struct ResetCommand: ShellCommand {
    static let spec = CommandSpec("reset", family: .session, usage: "reset [model|data|all]",
                                  summary: "drop state: the model, the datasets, or everything (config back to defaults)",
                                  details: ["`reset` alone is `reset all`. Command history and recording are kept."],
                                  examples: ["reset model", "reset"], keywords: ["model", "data", "all"], keywordKind: "reset scope",
                                  positionals: 1)

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> CommandResult { try shell.reset(arguments) }
}

private extension Interpreter {
    func reset(_ arguments: Arguments) throws -> CommandResult {
        let scope = arguments.keyword ?? "all"
        switch scope {
        case "all":
            var fresh = Session()
            fresh.history = session.history
            fresh.recording = session.recording
            session = fresh
            output.text("session reset: no dataset, no model, no runs, settings back to defaults")
        case "data":
            session.dropModel()
            session.dataset = nil
            session.datasets = [:]
            output.text("datasets and model dropped")
        default:
            session.dropModel()
            output.text("model dropped")
        }
        return CommandResult(command: "reset", fields: [("scope", .string(scope))])
    }
}

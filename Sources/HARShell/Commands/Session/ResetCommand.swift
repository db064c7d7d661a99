/// `reset [model|data|all]`: drops the model, the datasets, or everything.
struct ResetCommand: ShellCommand {
    static let spec = CommandSpec("reset", family: .session, usage: "reset [model|data|all]",
                                  summary: "drop state: the model, the datasets, or everything (config back to defaults)",
                                  details: ["`reset` alone is `reset all`. Command history and recording are kept."],
                                  examples: ["reset model", "reset"], keywords: ["model", "data", "all"], keywordKind: "reset scope",
                                  positionals: 1)

    /// What was dropped.
    struct Reset: CommandOutput {
        /// `all`, `data` or `model`.
        var scope: String

        /// What is gone.
        func lines(in layout: TextLayout) -> [String] {
            switch scope {
            case "all": return ["session reset: no dataset, no model, no runs, settings back to defaults"]
            case "data": return ["datasets and model dropped"]
            default: return ["model dropped"]
            }
        }

        /// `scope`.
        var result: CommandResult { CommandResult(command: "reset", fields: [("scope", .string(scope))]) }
    }

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> Reset {
        let scope = arguments.keyword ?? "all"
        switch scope {
        case "all":
            var fresh = Session()
            fresh.history = shell.session.history
            fresh.recording = shell.session.recording
            shell.session = fresh
        case "data":
            shell.session.dropModel()
            shell.session.dataset = nil
            shell.session.datasets = [:]
        default:
            shell.session.dropModel()
        }
        return Reset(scope: scope)
    }
}

/// Every command of the language, in `help` order: the one list that dispatch, `help`, completion,
/// "did you mean" for command words and the fuzzer's vocabulary read.
public enum CommandTable {
    /// The command types (like `CommandConfiguration.subcommands`); a new command adds its line here.
    static let commands: [any ShellCommand.Type] = [
        HelpCommand.self, StatusCommand.self, ResetCommand.self, RunCommand.self, RecordCommand.self, HistoryCommand.self,
        ClearCommand.self, QuitCommand.self,
        DatasetsCommand.self, DownloadCommand.self, LoadCommand.self, InfoCommand.self, AugmentCommand.self,
        ModelCommand.self, SummaryCommand.self,
        SetCommand.self, ShowCommand.self,
        TrainCommand.self, EvalCommand.self, TuneCommand.self, CrossValidateCommand.self,
        StreamCommand.self,
        ReplayCommand.self,
        InspectCommand.self, PlotCommand.self, RunsCommand.self, CompareCommand.self, LabelCommand.self, ReportCommand.self, ExportCommand.self,
        SaveCommand.self,
    ]

    /// Every command's spec, in `help` order.
    public static let all: [CommandSpec] = commands.map { $0.spec }

    /// The command type named `word` (or one of its aliases).
    static func command(named word: String) -> (any ShellCommand.Type)? {
        commands.first { $0.spec.name == word || $0.spec.aliases.contains(word) }
    }

    /// The spec of the command named `word` (or one of its aliases).
    public static func spec(named word: String) -> CommandSpec? { command(named: word)?.spec }

    /// Every word that starts a command, aliases included.
    public static var words: [String] { all.flatMap { [$0.name] + $0.aliases } }
}

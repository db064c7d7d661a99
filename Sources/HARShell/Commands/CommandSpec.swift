/// What the shell knows about one command: how to write it, what it does, examples, and the words
/// that may follow it (for validation, help and completion).
public struct CommandSpec: Sendable {
    /// The families commands are grouped into in `help`.
    public enum Family: String, Sendable, CaseIterable {
        /// help, status, reset, run, record, history, quit.
        case session = "Session"
        case data = "Data"
        case model = "Model"
        case configuration = "Configuration"
        case training = "Train and evaluate"
        case inspect = "Inspect and report"
        case persistence = "Persistence"
    }

    /// The command word.
    public var name: String
    /// Other words for the same command (`exit` for `quit`).
    public var aliases: [String]
    /// The `help` group.
    public var family: Family
    /// The synopsis (`train [EPOCHS]`).
    public var usage: String
    /// One line saying what it does.
    public var summary: String
    /// Longer explanation lines shown by `help CMD`.
    public var details: [String]
    /// Example invocations.
    public var examples: [String]
    /// Keywords allowed as first positional argument (subcommands), for completion and validation.
    public var keywords: [String]
    /// Keys allowed as `key=value` options.
    public var optionKeys: [String]
    /// Whether a successful run belongs in a replayable script (`record`, `history save`).
    public var replayable: Bool

    /// A command description.
    public init(_ name: String, aliases: [String] = [], family: Family, usage: String, summary: String,
                details: [String] = [], examples: [String] = [], keywords: [String] = [],
                optionKeys: [String] = [], replayable: Bool = true) {
        self.name = name
        self.aliases = aliases
        self.family = family
        self.usage = usage
        self.summary = summary
        self.details = details
        self.examples = examples
        self.keywords = keywords
        self.optionKeys = optionKeys
        self.replayable = replayable
    }
}

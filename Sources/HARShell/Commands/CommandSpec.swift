/// What the shell knows about one command: how to write it, what it does, examples, and what its arguments
/// may be (for validation before it runs, help and completion).
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
    /// What the first positional argument is called when it must be one of `keywords` (`"split"` for `eval`):
    /// the interpreter then rejects any other word before the command runs. Nil: the command reads it itself.
    public var keywordKind: String?
    /// The arguments the command takes when no keyword form applies.
    public var arguments: ArgumentForm
    /// The arguments it takes after a keyword that changes them (`inspect attention`, `load model`).
    public var forms: [String: ArgumentForm]
    /// What an option key is called in the error for an unknown one (`"option"`, `"tuning key"`).
    public var optionKind: String
    /// Whether a successful run belongs in a replayable script (`record`, `history save`).
    public var replayable: Bool

    /// A command description.
    /// - Parameters:
    ///   - positionals: the most positional arguments (nil: any number); `forms` may allow others.
    ///   - options: the `key=value` options.
    ///   - completions: what each positional argument completes to, in order.
    public init(_ name: String, aliases: [String] = [], family: Family, usage: String, summary: String,
                details: [String] = [], examples: [String] = [], keywords: [String] = [], keywordKind: String? = nil,
                positionals: Int? = 0, options: [OptionSpec] = [], completions: [CompletionSource] = [.keywords],
                forms: [String: ArgumentForm] = [:], optionKind: String = "option", replayable: Bool = true) {
        self.name = name
        self.aliases = aliases
        self.family = family
        self.usage = usage
        self.summary = summary
        self.details = details
        self.examples = examples
        self.keywords = keywords
        self.keywordKind = keywordKind
        self.arguments = ArgumentForm(positionals: positionals, options: options, completions: completions)
        self.forms = forms
        self.optionKind = optionKind
        self.replayable = replayable
    }

    /// Every key any form of the command accepts as a `key=value` option.
    public var optionKeys: [String] {
        ([arguments] + forms.keys.sorted().map { forms[$0]! }).flatMap { $0.options.map(\.key) }
            .reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    }

    /// The form that applies to arguments whose first positional word is `first` (unquoted).
    public func form(after first: String?) -> ArgumentForm {
        first.flatMap { forms[$0] } ?? arguments
    }
}

/// The shape of a command's arguments: how many positional words, which options, what completes where.
public struct ArgumentForm: Sendable {
    /// The most positional arguments; nil: any number.
    public var positionals: Int?
    /// The `key=value` options.
    public var options: [OptionSpec]
    /// What each positional argument completes to, in order; none past the end.
    public var completions: [CompletionSource]

    /// A form.
    public init(positionals: Int?, options: [OptionSpec] = [], completions: [CompletionSource] = [.keywords]) {
        self.positionals = positionals
        self.options = options
        self.completions = completions
    }

    /// The option `key`, if the form takes it.
    public func option(_ key: String) -> OptionSpec? { options.first { $0.key == key } }
}

/// One `key=value` option: its key, the values it takes (checked before the command runs when they are a
/// fixed type and range), and what its value completes to.
public struct OptionSpec: Sendable {
    /// The values an option takes.
    public enum Value: Sendable {
        /// Any word; the command (or HARKit) reads it.
        case any
        /// An integer in the range, or one of the words.
        case integer(ClosedRange<Int>, orWords: [String] = [])
    }

    /// The key before `=`.
    public var key: String
    /// The values it takes.
    public var value: Value
    /// Values offered by completion after `key=`.
    public var completions: [String]

    /// An option.
    public init(_ key: String, _ value: Value = .any, completions: [String] = []) {
        self.key = key
        self.value = value
        self.completions = completions
    }

    /// Options taking any value, one per key.
    public static func keys(_ keys: [String]) -> [OptionSpec] { keys.map { OptionSpec($0) } }
}

/// What a positional argument completes to.
public enum CompletionSource: Sendable, Equatable {
    /// The command's keywords.
    case keywords
    /// File and folder paths.
    case files
    /// Command words.
    case commands
    /// Setting names (`lr`, `batch`).
    case settings
    /// The values of the setting named by the argument before.
    case settingValues
}

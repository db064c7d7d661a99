/// A command's arguments with checks that point at the offending word.
struct Arguments {
    /// The parsed command.
    let command: ParsedCommand
    /// What the command accepts.
    let spec: CommandSpec

    init(_ command: ParsedCommand, spec: CommandSpec) {
        self.command = command
        self.spec = spec
    }

    /// The positional arguments, in order.
    var positionals: [Argument] { command.arguments.filter(\.isPositional) }
    /// The `key=value` options, in order.
    var options: [Argument] { command.arguments.filter { !$0.isPositional } }

    /// The positional argument at `index`, if given.
    func positional(_ index: Int) -> Argument? {
        let all = positionals
        return index < all.count ? all[index] : nil
    }

    /// The form of the spec these arguments take: the one their first (unquoted) positional word selects.
    var form: ArgumentForm {
        let first = positional(0)
        return spec.form(after: first?.quoted == false ? first?.value : nil)
    }

    /// Checks the arguments against the spec before the command runs: the first positional word when it must
    /// be a keyword, the number of positionals, option keys and the values of typed options.
    /// - Throws: a `ShellError` at the first wrong argument of the line.
    func check() throws {
        let form = self.form
        var problems: [ShellError] = []
        if let kind = spec.keywordKind, let first = positional(0) {
            do { _ = try expectKeyword(first, among: spec.keywords, kind: kind) } catch let error as ShellError { problems.append(error) }
        }
        if let most = form.positionals, positionals.count > most {
            let extra = positionals[most]
            problems.append(ShellError("unexpected argument '\(extra.value)' — usage: \(spec.usage)", at: extra.offset))
        }
        let allowed = form.options.map(\.key)
        for option in options {
            guard let key = option.key else { continue }
            guard let declared = form.option(key) else {
                problems.append(allowed.isEmpty
                    ? ShellError("'\(command.name)' takes no options — usage: \(spec.usage)", at: option.offset)
                    : ShellError(Suggestion.unknown(spec.optionKind, key, among: allowed), at: option.offset))
                break
            }
            if case .integer(let range, let words) = declared.value, !words.contains(option.value) {
                do { _ = try integer(option, key, in: range) } catch let error as ShellError { problems.append(error); break }
            }
        }
        if let first = problems.min(by: { ($0.position ?? .max) < ($1.position ?? .max) }) { throw first }
    }

    /// Throws unless `argument` is one of `words` (suggesting the nearest).
    func expectKeyword(_ argument: Argument, among words: [String], kind: String) throws -> String {
        if !argument.quoted, words.contains(argument.value) { return argument.value }
        throw ShellError(Suggestion.unknown(kind, argument.value, among: words), at: argument.offset)
    }

    /// The first positional word, already checked to be one of the spec's keywords (`keywordKind`); nil if not given.
    var keyword: String? { positional(0)?.value }

    /// The required positional at `index`, or an error saying what is missing.
    func required(_ index: Int, _ what: String) throws -> Argument {
        guard let argument = positional(index) else {
            throw ShellError("missing \(what) — usage: \(spec.usage)", at: command.offset)
        }
        return argument
    }

    /// The value of option `key`, if given.
    func option(_ key: String) -> Argument? { options.last { $0.key == key } }

    /// The value of the integer option `key` (checked against its range before the command ran); nil if not
    /// given or given as one of its words.
    func integerOption(_ key: String) -> Int? { option(key).flatMap { ConfigKey.exactInteger($0.value) } }

    /// `argument` as a run id: `5` or `#5`, as the shell writes runs.
    func runID(_ argument: Argument) throws -> Int {
        let digits = argument.value.hasPrefix("#") ? String(argument.value.dropFirst()) : argument.value
        guard let id = ConfigKey.exactInteger(digits), id >= 1 else {
            throw ShellError("invalid run id '\(argument.value)': expected a run number such as 5 or #5", at: argument.offset)
        }
        return id
    }

    /// `argument` as an integer in `range`, or an error naming it.
    func integer(_ argument: Argument, _ what: String, in range: ClosedRange<Int>) throws -> Int {
        guard let value = ConfigKey.exactInteger(argument.value), range.contains(value) else {
            let bound = range.upperBound == .max ? "≥ \(range.lowerBound)" : "in \(range.lowerBound)…\(range.upperBound)"
            throw ShellError("invalid \(what) '\(argument.value)': expected an integer \(bound)", at: argument.offset)
        }
        return value
    }
}

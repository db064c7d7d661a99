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

    /// Throws at the first positional argument beyond `count`.
    func expectPositionals(_ count: Int) throws {
        let all = positionals
        if all.count > count {
            let extra = all[count]
            throw ShellError("unexpected argument '\(extra.value)' — usage: \(spec.usage)", at: extra.offset)
        }
    }

    /// Throws at the first option whose key is not in `allowed`, suggesting the nearest allowed key.
    func expectOptions(_ allowed: [String]) throws {
        for option in options {
            guard let key = option.key, !allowed.contains(key) else { continue }
            if allowed.isEmpty {
                throw ShellError("'\(command.name)' takes no options — usage: \(spec.usage)", at: option.offset)
            }
            throw ShellError(Suggestion.unknown("option", key, among: allowed), at: option.offset)
        }
    }

    /// Throws unless `argument` is one of `words` (suggesting the nearest).
    func expectKeyword(_ argument: Argument, among words: [String], kind: String) throws -> String {
        if !argument.quoted, words.contains(argument.value) { return argument.value }
        throw ShellError(Suggestion.unknown(kind, argument.value, among: words), at: argument.offset)
    }

    /// The required positional at `index`, or an error saying what is missing.
    func required(_ index: Int, _ what: String) throws -> Argument {
        guard let argument = positional(index) else {
            throw ShellError("missing \(what) — usage: \(spec.usage)", at: command.offset)
        }
        return argument
    }

    /// The value of option `key`, if given.
    func option(_ key: String) -> Argument? { options.last { $0.key == key } }

    /// `argument` as an integer in `range`, or an error naming it.
    func integer(_ argument: Argument, _ what: String, in range: ClosedRange<Int>) throws -> Int {
        guard let value = ConfigKey.exactInteger(argument.value), range.contains(value) else {
            let bound = range.upperBound == .max ? "≥ \(range.lowerBound)" : "in \(range.lowerBound)…\(range.upperBound)"
            throw ShellError("invalid \(what) '\(argument.value)': expected an integer \(bound)", at: argument.offset)
        }
        return value
    }
}

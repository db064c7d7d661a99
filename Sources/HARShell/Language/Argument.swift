import Foundation

/// One argument of a command: a positional word or string, or a `key=value` option.
public struct Argument: Sendable, Equatable {
    /// The option's key; nil for a positional argument.
    public var key: String?
    /// The word, string content or option value.
    public var value: String
    /// Whether the value was written in quotes (a quoted value is never a keyword).
    public var quoted: Bool
    /// Character offset of the argument in the source line.
    public var offset: Int

    /// An argument.
    public init(key: String? = nil, value: String, quoted: Bool = false, offset: Int) {
        self.key = key
        self.value = value
        self.quoted = quoted
        self.offset = offset
    }

    /// Whether this is a positional argument (not `key=value`).
    public var isPositional: Bool { key == nil }

    /// The argument as it would be written back into a script.
    public var written: String {
        let shown = Argument.needsQuotes(value) ? Argument.quote(value) : value
        return key.map { "\($0)=\(shown)" } ?? shown
    }

    /// Whether `text` must be quoted to read back as one word (`=` would make a positional value an option).
    static func needsQuotes(_ text: String) -> Bool {
        text.isEmpty || text.contains { $0.isWhitespace || $0 == ";" || $0 == "\"" || $0 == "'" || $0 == "#" || $0 == "\\" || $0 == "=" }
            || text.hasSuffix(",")
    }

    static func quote(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

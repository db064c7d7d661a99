/// The structured result of one command (one `--json` line): the command word, whether it succeeded,
/// and its fields in the order the command lists them.
public struct CommandResult: Sendable, Equatable {
    /// The command word.
    public var command: String
    /// Whether the command succeeded.
    public var ok: Bool
    /// The command's fields (names as in docs/COMMANDS.md "Structured results").
    public var fields: [(String, JSONValue)]

    /// A result.
    public init(command: String, ok: Bool = true, fields: [(String, JSONValue)] = []) {
        self.command = command
        self.ok = ok
        self.fields = fields
    }

    /// The failure result of `command` for `error`: `ok` false, `error`, `position` when known, and what a command
    /// that failed part-way kept (`ShellError.Kept`).
    public init(command: String, error: ShellError) {
        var fields: [(String, JSONValue)] = [("error", .string(error.message))]
        if let position = error.position { fields.append(("position", .int(position))) }
        if let kept = error.kept { fields += kept.fields }
        self.init(command: command, ok: false, fields: fields)
    }

    /// The field `key`.
    public subscript(key: String) -> JSONValue? { fields.first { $0.0 == key }?.1 }

    /// The whole result as one JSON object: `command`, `ok`, then the fields.
    public var json: JSONValue { .object([("command", .string(command)), ("ok", .bool(ok))] + fields) }

    /// Equal when their JSON is.
    public static func == (lhs: CommandResult, rhs: CommandResult) -> Bool { lhs.json == rhs.json }
}

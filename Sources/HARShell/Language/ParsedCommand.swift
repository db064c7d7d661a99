/// One command of a line: its name and arguments, with positions into the line.
public struct ParsedCommand: Sendable, Equatable {
    /// The command word as typed (`?train` becomes `help` with the argument `train`).
    public var name: String
    /// Character offset of the command word in the source line.
    public var offset: Int
    /// The arguments in order.
    public var arguments: [Argument]

    /// A command.
    public init(name: String, offset: Int, arguments: [Argument] = []) {
        self.name = name
        self.offset = offset
        self.arguments = arguments
    }

    /// The command written back as one line of a script (comments and spacing normalised).
    public var written: String {
        ([Argument.needsQuotes(name) ? Argument.quote(name) : name] + arguments.map(\.written)).joined(separator: " ")
    }
}

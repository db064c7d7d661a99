/// One command of the `har` language, defined in one place (after swift-argument-parser's `ParsableCommand`):
/// its spec — words, help, arguments, completion — and what it does.
///
/// The interpreter finds the type by name in `CommandTable.commands`, checks the arguments against `spec`
/// (keyword, positional count, option keys and typed values) and only then makes the command and runs it,
/// so `run(in:)` never re-checks what the spec says. Adding a command is adding one type and its line in
/// `CommandTable.commands`; `help`, completion and the fuzzer read the spec from there.
protocol ShellCommand {
    /// Name, aliases, family, usage, help text, examples, keywords, arguments, completion, replayability.
    static var spec: CommandSpec { get }
    /// Whether a failure restores the session to its value before the command (default true; `run FILE`
    /// is not one transaction: the script's commands before its failing one keep their effect).
    static var isTransaction: Bool { get }
    /// Whether a success leaves the shell (`quit`).
    static var endsSession: Bool { get }
    /// Checks that the spec cannot state, made before the spec's own (default: none).
    static func validate(_ arguments: Arguments) throws
    /// How it runs in a session with workers (`set workers N`), given its checked arguments (default `.alone`).
    static func workerSharing(_ arguments: Arguments) -> WorkerSharing
    /// The command with its arguments, already checked against `spec`.
    init(arguments: Arguments)
    /// What `run(in:)` returns: the command's result as one value that renders as text and as `--json`.
    associatedtype Output: CommandOutput
    /// Does what the command does in `shell`: changes its session, writes progress (and a long command's running
    /// lines) to its output as it goes, and returns its result, which the interpreter renders as text and `--json`.
    /// - Throws: `ShellError` pointing at the word that was wrong; the interpreter then restores the session.
    func run(in shell: Interpreter) throws -> Output
}

extension ShellCommand {
    static var isTransaction: Bool { true }
    static var endsSession: Bool { false }
    static func validate(_ arguments: Arguments) throws {}
    static func workerSharing(_ arguments: Arguments) -> WorkerSharing { .alone }
}

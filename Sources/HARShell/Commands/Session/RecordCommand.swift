import Foundation
import HARKit

/// `record FILE` / `record off`: appends every successful replayable command to a script.
struct RecordCommand: ShellCommand {
    static let spec = CommandSpec("record", family: .session, usage: "record FILE | record off",
                                  summary: "append every successful command to a replayable script",
                                  details: ["A new file begins with the session's commands so far, so it replays from a fresh session;",
                                            "then each command is appended as one line as soon as it succeeds."],
                                  examples: ["record today.har", "record off"], keywords: ["off"], positionals: 1,
                                  completions: [.files], replayable: false)

    /// Where commands are recorded now, or where the recording that stopped went.
    struct Recording: CommandOutput {
        /// The script commands are appended to; nil once recording is off.
        var file: URL?
        /// The script of the recording `record off` stopped.
        var stopped: URL?
        /// The session's commands so far that a new recording begins with (0 when appending to an existing script).
        var recreating = 0

        /// `recording successful commands to FILE` (after the N commands that recreate the session so far), or
        /// `recording to FILE stopped`.
        func lines(in layout: TextLayout) -> [String] {
            if let file {
                return ["recording successful commands to \(file.path)"
                        + (recreating == 0 ? "" : " after the \(recreating) that recreate the session so far")]
            }
            return stopped.map { ["recording to \($0.path) stopped"] } ?? []
        }

        /// `file` (null when recording stopped).
        var result: CommandResult { CommandResult(command: "record", fields: [("file", file.map { .string($0.path) } ?? .null)]) }
    }

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> Recording { try shell.record(arguments) }

    /// The text a recording begins with: a stamp, then `prelude` (the session's replayable commands so far, so the
    /// file replays from a fresh session) when there is one.
    static func header(prelude: [String]) -> String {
        let stamp = "# recorded by har \(HARKit.version) on \(ISO8601DateFormatter().string(from: Date()))\n"
        guard !prelude.isEmpty else { return stamp }
        return stamp + "# the session before 'record':\n" + prelude.map { $0 + "\n" }.joined() + "# recorded:\n"
    }
}

private extension Interpreter {
    func record(_ arguments: Arguments) throws -> RecordCommand.Recording {
        let argument = try arguments.required(0, "FILE or off")
        if !argument.quoted, argument.value == "off" {
            guard let target = session.recording else { throw ShellError("not recording", at: argument.offset) }
            session.recording = nil
            return RecordCommand.Recording(file: nil, stopped: target, recreating: 0)
        }
        let url = resolve(argument.value)
        let prelude = ScriptFile.isEmptyOrMissing(url) ? session.replayableHistory : []
        do {
            try ScriptFile.append(RecordCommand.header(prelude: prelude), to: url)
        } catch let error as ShellError {
            throw ShellError(error.message, at: argument.offset)
        }
        session.recording = url
        return RecordCommand.Recording(file: url, stopped: nil, recreating: prelude.count)
    }
}

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

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> CommandResult { try shell.record(arguments) }

    /// The text a recording begins with: a stamp, then `prelude` (the session's replayable commands so far, so the
    /// file replays from a fresh session) when there is one.
    static func header(prelude: [String]) -> String {
        let stamp = "# recorded by har \(HARKit.version) on \(ISO8601DateFormatter().string(from: Date()))\n"
        guard !prelude.isEmpty else { return stamp }
        return stamp + "# the session before 'record':\n" + prelude.map { $0 + "\n" }.joined() + "# recorded:\n"
    }
}

private extension Interpreter {
    func record(_ arguments: Arguments) throws -> CommandResult {
        let argument = try arguments.required(0, "FILE or off")
        if !argument.quoted, argument.value == "off" {
            guard let target = session.recording else { throw ShellError("not recording", at: argument.offset) }
            session.recording = nil
            output.text("recording to \(target.path) stopped")
            return CommandResult(command: "record", fields: [("file", .null)])
        }
        let url = resolve(argument.value)
        let prelude = ScriptFile.isEmptyOrMissing(url) ? session.replayableHistory : []
        do {
            try ScriptFile.append(RecordCommand.header(prelude: prelude), to: url)
        } catch let error as ShellError {
            throw ShellError(error.message, at: argument.offset)
        }
        session.recording = url
        output.text("recording successful commands to \(url.path)"
                    + (prelude.isEmpty ? "" : " after the \(prelude.count) that recreate the session so far"))
        return CommandResult(command: "record", fields: [("file", .string(url.path))])
    }
}

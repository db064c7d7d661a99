import Foundation
import HARKit

/// `record FILE` / `record off`: appends every successful replayable command to a script.
struct RecordCommand: ShellCommand {
    static let spec = CommandSpec("record", family: .session, usage: "record FILE | record off",
                                  summary: "append every successful command to a replayable script",
                                  details: ["Each command is appended as one line as soon as it succeeds."],
                                  examples: ["record today.har", "record off"], keywords: ["off"], positionals: 1,
                                  completions: [.files], replayable: false)

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> CommandResult { try shell.record(arguments) }
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
        let stamp = ISO8601DateFormatter().string(from: Date())
        do {
            try ScriptFile.append("# recorded by har \(HARKit.version) on \(stamp)\n", to: url)
        } catch let error as ShellError {
            throw ShellError(error.message, at: argument.offset)
        }
        session.recording = url
        output.text("recording successful commands to \(url.path)")
        return CommandResult(command: "record", fields: [("file", .string(url.path))])
    }
}

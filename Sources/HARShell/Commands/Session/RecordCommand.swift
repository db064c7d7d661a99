import Foundation
import HARKit

/// `record FILE` / `record off`: appends every successful replayable command to a script.
struct RecordCommand: ShellCommand {
    static let spec = CommandSpec("record", family: .session, usage: "record FILE | record off",
                                  summary: "append every successful command to a replayable script",
                                  details: ["Each command is appended as one line as soon as it succeeds."],
                                  examples: ["record today.har", "record off"], keywords: ["off"], positionals: 1,
                                  completions: [.files], replayable: false)

    /// Where commands are recorded now, or where the recording that stopped went.
    struct Recording: CommandOutput {
        /// The script commands are appended to; nil once recording is off.
        var file: URL?
        /// The script of the recording `record off` stopped.
        var stopped: URL?

        /// `recording successful commands to FILE`, or `recording to FILE stopped`.
        func lines(in layout: TextLayout) -> [String] {
            if let file { return ["recording successful commands to \(file.path)"] }
            return stopped.map { ["recording to \($0.path) stopped"] } ?? []
        }

        /// `file` (null when recording stopped).
        var result: CommandResult { CommandResult(command: "record", fields: [("file", file.map { .string($0.path) } ?? .null)]) }
    }

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> Recording { try shell.record(arguments) }
}

private extension Interpreter {
    func record(_ arguments: Arguments) throws -> RecordCommand.Recording {
        let argument = try arguments.required(0, "FILE or off")
        if !argument.quoted, argument.value == "off" {
            guard let target = session.recording else { throw ShellError("not recording", at: argument.offset) }
            session.recording = nil
            return RecordCommand.Recording(file: nil, stopped: target)
        }
        let url = resolve(argument.value)
        let stamp = ISO8601DateFormatter().string(from: Date())
        do {
            try ScriptFile.append("# recorded by har \(HARKit.version) on \(stamp)\n", to: url)
        } catch let error as ShellError {
            throw ShellError(error.message, at: argument.offset)
        }
        session.recording = url
        return RecordCommand.Recording(file: url, stopped: nil)
    }
}

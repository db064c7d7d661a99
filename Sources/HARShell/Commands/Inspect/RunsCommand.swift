import Foundation
import HARKit

/// `runs`: every recorded run, from the run store when there is one.
struct RunsCommand: ShellCommand {
    static let spec = CommandSpec("runs", family: .inspect, usage: "runs",
                                  summary: "every recorded run: id, dataset, model, key config, accuracy, F1, train seconds",
                                  examples: ["runs"], replayable: false)

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> CommandResult { try shell.runs(arguments) }
}

private extension Interpreter {
    func runs(_ arguments: Arguments) throws -> CommandResult {
        if let store = runStore {
            let table = RunTable.runs(try storeCall { try store.runs() })
            for line in table.rendered(as: .text).split(separator: "\n", omittingEmptySubsequences: false) { output.text(String(line)) }
            return CommandResult(command: "runs", fields: [("runs", try JSONValue(parsing: Data(table.rendered(as: .json).utf8)))])
        }
        for line in runsTable(session.runs) { output.text(line) }
        if session.runs.isEmpty { output.text("no runs yet in this session: 'train' makes one") }
        return CommandResult(command: "runs", fields: [("runs", .array(session.runs.map(\.json)))])
    }
}

import Foundation
import HARKit

/// `runs`: every recorded run, from the run store when there is one.
struct RunsCommand: ShellCommand {
    static let spec = CommandSpec("runs", family: .inspect, usage: "runs",
                                  summary: "every recorded run: id, dataset, model, key config, accuracy, F1, train seconds",
                                  examples: ["runs"], replayable: false)

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> RunListing { try shell.runs(arguments) }
}

private extension Interpreter {
    func runs(_ arguments: Arguments) throws -> RunListing {
        if let store = runStore { return try RunListing.stored(RunTable.runs(try storeCall { try store.runs() }), command: "runs") }
        return RunListing(command: "runs", runs: .session(session.runs))
    }
}

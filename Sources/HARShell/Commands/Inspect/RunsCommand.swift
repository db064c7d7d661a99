import Foundation
import HARKit

/// `runs [RUN]`: every recorded run, from the run store when there is one; with a run, that run, its members
/// (a cross-validation's folds, a search's trials) and its epochs with their learning rates.
struct RunsCommand: ShellCommand {
    static let spec = CommandSpec("runs", family: .inspect, usage: "runs [RUN]",
                                  summary: "every recorded run with its full configuration; with RUN, that run, its members and its epochs",
                                  details: ["A cross-validation, a search or repeated seeds is one run (kind cv, tune, seeds) with its members",
                                            "(kind fold, trial, seed) listed beneath it."],
                                  examples: ["runs", "runs 12"], positionals: 1, replayable: false)

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> RunListing { try shell.runs(arguments) }
}

private extension Interpreter {
    func runs(_ arguments: Arguments) throws -> RunListing {
        if let store = runStore {
            if let argument = arguments.positional(0) {
                let id = Int64(try arguments.runID(argument))
                let (run, members, epochs) = try storeCall { (try store.run(id), try store.members(of: id), try store.epochs(of: id)) }
                var listing = try RunListing.stored(RunTable.runs([run] + members), command: "runs")
                listing.epochs = (run.id, epochs)
                return listing
            }
            return try RunListing.stored(RunTable.runs(try storeCall { try store.runs() }), command: "runs")
        }
        if let argument = arguments.positional(0) {
            throw ShellError("'runs RUN' reads the run store, and this session has none (HAR_RUNS names one)", at: argument.offset)
        }
        return RunListing(command: "runs", runs: .session(session.runs))
    }
}

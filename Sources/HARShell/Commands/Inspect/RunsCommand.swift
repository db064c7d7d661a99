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

    func run(in shell: Interpreter) throws -> CommandResult { try shell.runs(arguments) }
}

private extension Interpreter {
    func runs(_ arguments: Arguments) throws -> CommandResult {
        if let store = runStore {
            if let argument = arguments.positional(0) {
                let id = Int64(try arguments.runID(argument))
                let (run, members, epochs) = try storeCall { (try store.run(id), try store.members(of: id), try store.epochs(of: id)) }
                return show(RunTable.runs([run] + members), epochs: epochs, of: run)
            }
            return show(RunTable.runs(try storeCall { try store.runs() }), epochs: nil, of: nil)
        }
        if let argument = arguments.positional(0) {
            throw ShellError("'runs RUN' reads the run store, and this session has none (HAR_RUNS names one)", at: argument.offset)
        }
        for line in runsTable(session.runs) { output.text(line) }
        if session.runs.isEmpty { output.text("no runs yet in this session: 'train' makes one") }
        return CommandResult(command: "runs", fields: [("runs", .array(session.runs.map(\.json)))])
    }

    /// Prints `table` and, for one run, its epochs (learning rate included); returns the structured result.
    func show(_ table: RunTable, epochs: [EpochRecord]?, of run: RunRecord?) -> CommandResult {
        for line in table.rendered(as: .text).split(separator: "\n", omittingEmptySubsequences: false) { output.text(String(line)) }
        var fields: [(String, JSONValue)] = [("runs", (try? JSONValue(parsing: Data(table.rendered(as: .json).utf8))) ?? .array([]))]
        if let epochs, let run {
            output.text(epochs.isEmpty ? "run \(run.id) has no epochs of its own" : "epochs of run \(run.id):")
            if !epochs.isEmpty {
                output.text(TrainingView.header)
                for epoch in epochs { output.text(TrainingView.line(epoch)) }
            }
            fields.append(("epochs", .array(epochs.map { .object(TrainingView.result($0).fields) })))
        }
        return CommandResult(command: "runs", fields: fields)
    }
}

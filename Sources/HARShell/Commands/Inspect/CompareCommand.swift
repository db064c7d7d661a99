import Foundation
import HARKit

/// `compare [RUN…]`: runs side by side; without arguments the best per dataset × model.
struct CompareCommand: ShellCommand {
    static let spec = CommandSpec("compare", family: .inspect, usage: "compare [RUN…]",
                                  summary: "side-by-side table of runs; without arguments, the best run per dataset × model",
                                  examples: ["compare", "compare 3 7"], positionals: nil, replayable: false)

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> CommandResult { try shell.compare(arguments) }
}

private extension Interpreter {
    func compare(_ arguments: Arguments) throws -> CommandResult {
        if let store = runStore {
            var ids: [Int64] = []
            for argument in arguments.positionals { ids.append(Int64(try arguments.runID(argument))) }
            let records = try storeCall { ids.isEmpty ? try store.bestRuns() : try store.runs(ids) }
            guard !records.isEmpty else {
                throw ShellError("nothing to compare yet: 'train' and 'eval' make an evaluated run", at: arguments.command.offset)
            }
            let table = RunTable.comparison(records, differingSettings: !ids.isEmpty)
            for line in table.rendered(as: .text).split(separator: "\n", omittingEmptySubsequences: false) { output.text(String(line)) }
            return CommandResult(command: "compare", fields: [("runs", try JSONValue(parsing: Data(table.rendered(as: .json).utf8)))])
        }
        var chosen: [SessionRun] = []
        for argument in arguments.positionals {
            let id = try arguments.runID(argument)
            guard let run = session.runs.first(where: { $0.id == id }) else {
                throw ShellError("no run #\(id) in this session (runs: \(session.runs.map { "#\($0.id)" }.joined(separator: " ")))",
                                 at: argument.offset)
            }
            chosen.append(run)
        }
        if arguments.positionals.isEmpty {
            var best: [String: SessionRun] = [:]
            for run in session.runs where run.evaluation != nil {
                let key = "\(run.dataset) \(run.model)"
                if let held = best[key], (held.evaluation?.metrics.accuracy ?? 0) >= (run.evaluation?.metrics.accuracy ?? 0) { continue }
                best[key] = run
            }
            chosen = best.values.sorted { $0.id < $1.id }
            guard !chosen.isEmpty else {
                throw ShellError("nothing to compare yet: 'train' and 'eval' make an evaluated run", at: arguments.command.offset)
            }
        }
        for line in runsTable(chosen) { output.text(line) }
        return CommandResult(command: "compare", fields: [("runs", .array(chosen.map(\.json)))])
    }
}

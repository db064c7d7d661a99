import Foundation
import HARKit

/// `compare [RUN…]`: runs side by side; without arguments the best per dataset × model.
struct CompareCommand: ShellCommand {
    static let spec = CommandSpec("compare", family: .inspect, usage: "compare [RUN…]",
                                  summary: "side-by-side table of runs; without arguments, the best run per dataset × model",
                                  examples: ["compare", "compare 3 7"], positionals: nil, replayable: false)

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> RunListing { try shell.compare(arguments) }
}

private extension Interpreter {
    func compare(_ arguments: Arguments) throws -> RunListing {
        if let store = runStore {
            var ids: [Int64] = []
            for argument in arguments.positionals { ids.append(Int64(try arguments.runID(argument))) }
            let records = try storeCall { ids.isEmpty ? try store.bestRuns() : try store.runs(ids) }
            guard !records.isEmpty else {
                throw ShellError("nothing to compare yet: 'train' and 'eval' make an evaluated run", at: arguments.command.offset)
            }
            return try RunListing.stored(RunTable.comparison(records, differingSettings: !ids.isEmpty), command: "compare")
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
        return RunListing(command: "compare", runs: .session(chosen))
    }
}

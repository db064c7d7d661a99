import Foundation
import HARKit

/// `report [to FILE.html]`: one self-contained page of the run store's runs.
struct ReportCommand: ShellCommand {
    static let spec = CommandSpec("report", family: .inspect, usage: "report [to FILE.html]",
                                  summary: "one self-contained page: run table, curves, confusion matrices, attention maps, the latest replay's timeline",
                                  examples: ["report", "report to results.html"], positionals: 2)

    /// The report written.
    struct Written: CommandOutput {
        /// Where it is.
        var url: URL

        /// `wrote the report to PATH`.
        func lines(in layout: TextLayout) -> [String] { ["wrote the report to \(url.path)"] }

        /// `file`.
        var result: CommandResult { CommandResult(command: "report", fields: [("file", .string(url.path))]) }
    }

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> Written { try shell.report(arguments) }
}

private extension Interpreter {
    func report(_ arguments: Arguments) throws -> ReportCommand.Written {
        try expectDestination(arguments, after: 0)
        guard let store = runStore else {
            throw ShellError("'report' reads the run store, and this session has none (it could not be opened at start)",
                             at: arguments.command.offset)
        }
        let file = arguments.positional(1)
        let url = resolve(file?.value ?? "harlab-report.html")
        // The map `inspect attention` and `plot attention` show by default (test window 0, first layer); a model
        // without spatial attention has none to add.
        var attention: [ReportAttention] = []
        if let model = session.model, let dataset = session.dataset {
            do {
                attention.append(try ReportAttention(try AttentionMaps(model: model, dataset: dataset)))
            } catch is AttentionError {
                // nothing to show
            } catch {
                throw ShellError("cannot compute the attention map for the report: \(error)", at: arguments.command.offset)
            }
        }
        do {
            try Report(store: store, attention: attention, replays: session.lastReplay.map { [$0] } ?? []).write(to: url)
        } catch let error as ReportError {
            throw ShellError(error.message, at: file?.offset ?? arguments.command.offset)
        } catch let error as RunStoreError {
            throw ShellError(error.message, at: arguments.command.offset)
        }
        return ReportCommand.Written(url: url)
    }
}

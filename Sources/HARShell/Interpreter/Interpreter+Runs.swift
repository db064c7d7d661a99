import Foundation
import HARKit

/// Run commands: runs, compare, report, export — over the run store (every session's runs) when there is one,
/// else over this session's runs.
extension Interpreter {
    func runs(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectPositionals(0)
        try arguments.expectOptions([])
        if let store = runStore {
            let table = RunTable.runs(try storeCall { try store.runs() })
            for line in table.rendered(as: .text).split(separator: "\n", omittingEmptySubsequences: false) { output.text(String(line)) }
            return CommandResult(command: "runs", fields: [("runs", try JSONValue(parsing: Data(table.rendered(as: .json).utf8)))])
        }
        for line in runsTable(session.runs) { output.text(line) }
        if session.runs.isEmpty { output.text("no runs yet in this session: 'train' makes one") }
        return CommandResult(command: "runs", fields: [("runs", .array(session.runs.map(\.json)))])
    }

    func compare(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectOptions([])
        if let store = runStore {
            var ids: [Int64] = []
            for argument in arguments.positionals { ids.append(Int64(try arguments.integer(argument, "run id", in: 1...Int.max))) }
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
            let id = try arguments.integer(argument, "run id", in: 1...Int.max)
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

    func report(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectOptions([])
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
            try Report(store: store, attention: attention).write(to: url)
        } catch let error as ReportError {
            throw ShellError(error.message, at: file?.offset ?? arguments.command.offset)
        } catch let error as RunStoreError {
            throw ShellError(error.message, at: arguments.command.offset)
        }
        output.text("wrote the report to \(url.path)")
        return CommandResult(command: "report", fields: [("file", .string(url.path))])
    }

    func export(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectOptions([])
        let format = try arguments.expectKeyword(try arguments.required(0, "format"), among: arguments.spec.keywords, kind: "export format")
        let file = try arguments.required(1, "FILE")
        try arguments.expectPositionals(2)
        if let store = runStore {
            let records = try storeCall { try store.runs() }
            do { try RunTable.runs(records).write(as: TableFormat(rawValue: format)!, to: resolve(file.value)) } catch {
                throw ShellError("\(error)", at: file.offset)
            }
            output.text("wrote \(records.count) run\(records.count == 1 ? "" : "s") to \(file.value)")
            return CommandResult(command: "export", fields: [("format", .string(format)), ("file", .string(file.value)),
                                                             ("runs", .int(records.count))])
        }
        let rows = session.runs.map(\.json)
        let columns = rows.flatMap { row -> [String] in
            guard case .object(let fields) = row else { return [] }
            return fields.map(\.0)
        }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let text: String
        switch format {
        case "json":
            text = JSONValue.array(rows).serialized + "\n"
        case "csv":
            text = ([columns.joined(separator: ",")] + rows.map { row in
                columns.map { csvCell(row[$0] ?? .null) }.joined(separator: ",")
            }).joined(separator: "\n") + "\n"
        default:
            text = (["| " + columns.joined(separator: " | ") + " |", "|" + columns.map { _ in "---|" }.joined()] + rows.map { row in
                "| " + columns.map { plain(row[$0] ?? .null).replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
            }).joined(separator: "\n") + "\n"
        }
        do { try ScriptFile.write(text, to: resolve(file.value)) } catch let error as ShellError {
            throw ShellError(error.message, at: file.offset)
        }
        output.text("wrote \(rows.count) run\(rows.count == 1 ? "" : "s") to \(file.value)")
        return CommandResult(command: "export", fields: [("format", .string(format)), ("file", .string(file.value)),
                                                         ("runs", .int(rows.count))])
    }

    /// `body`'s value, a run-store error becoming a shell error.
    func storeCall<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as RunStoreError { throw ShellError(error.message) }
    }

    /// The runs as a table: id, dataset, model, key config, accuracy, F1, train seconds.
    private func runsTable(_ runs: [SessionRun]) -> [String] {
        guard !runs.isEmpty else { return [] }
        let rows = runs.map { run -> [String] in
            let m = run.evaluation?.metrics
            return ["#\(run.id)", run.dataset, run.model,
                    "\(run.config.optimizer.rawValue) lr \(TrainingView.scientific(run.config.learningRate)) b\(run.config.batchSize)",
                    String(run.epochs.count), m.map { TrainingView.fixed($0.accuracy * 100, 2) + "%" } ?? "—",
                    m.map { TrainingView.fixed($0.precisionMacro, 3) } ?? "—", m.map { TrainingView.fixed($0.recallMacro, 3) } ?? "—",
                    m.map { TrainingView.fixed($0.f1Macro, 3) } ?? "—",
                    run.epochs.last.map { TrainingView.fixed($0.trainLoss, 4) } ?? "—", TrainingView.fixed(run.trainSeconds, 1),
                    run.evaluation?.timing.map { TrainingView.fixed($0.latencyP50, 2) } ?? "—"]
        }
        return TextTable(header: ["run", "dataset", "model", "config", "epochs", "accuracy", "P", "R", "F1", "loss", "train s", "ms/window"],
                         rows: rows, alignments: [.left, .left, .left, .left] + Array(repeating: .right, count: 8)).render()
    }

    private func plain(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return s
        case .null: return ""
        default: return value.serialized
        }
    }

    private func csvCell(_ value: JSONValue) -> String {
        let text = plain(value)
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

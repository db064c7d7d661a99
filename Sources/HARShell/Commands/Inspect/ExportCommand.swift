import Foundation
import HARKit

/// `export csv|json|markdown FILE`: the runs table as a file; `export onnx FILE`: the current model (ExportONNX.swift).
struct ExportCommand: ShellCommand {
    static let spec = CommandSpec("export", family: .inspect, usage: "export csv|json|markdown FILE | export onnx FILE [zscore=graph|metadata]",
                                  summary: "write the runs table, or the current model as an ONNX file for ONNX Runtime (atomic write)",
                                  examples: ["export csv runs.csv", "export onnx sa.onnx"],
                                  keywords: ["csv", "json", "markdown", "onnx"], keywordKind: "export format", positionals: 2,
                                  completions: [.keywords, .files],
                                  forms: ["onnx": ArgumentForm(positionals: 2, options: [OptionSpec("zscore", completions: ["graph", "metadata"])],
                                                               completions: [.keywords, .files])])

    /// The runs table written.
    struct Exported: CommandOutput {
        /// `csv`, `json` or `markdown`.
        var format: String
        /// The file as written.
        var file: String
        /// How many runs it holds.
        var runs: Int

        /// `wrote 3 runs to FILE`.
        func lines(in layout: TextLayout) -> [String] { ["wrote \(counted(runs, "run")) to \(file)"] }

        /// `format`, `file`, `runs`.
        var result: CommandResult {
            CommandResult(command: "export", fields: [("format", .string(format)), ("file", .string(file)), ("runs", .int(runs))])
        }
    }

    /// The runs table or a model.
    enum Output: CommandOutputForms {
        case table(Exported), onnx(ONNXExported)

        var form: any CommandOutput {
            switch self {
            case .table(let exported): return exported
            case .onnx(let exported): return exported
            }
        }
    }

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> Output {
        if arguments.keyword == "onnx" { return .onnx(try shell.exportONNX(arguments)) }
        return .table(try shell.export(arguments))
    }
}

private extension Interpreter {
    func export(_ arguments: Arguments) throws -> ExportCommand.Exported {
        let format = try arguments.required(0, "format").value
        let file = try arguments.required(1, "FILE")
        if let store = runStore {
            let records = try storeCall { try store.runs() }
            do { try RunTable.runs(records).write(as: TableFormat(rawValue: format)!, to: resolve(file.value)) } catch {
                throw ShellError("\(error)", at: file.offset)
            }
            return ExportCommand.Exported(format: format, file: file.value, runs: records.count)
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
        return ExportCommand.Exported(format: format, file: file.value, runs: rows.count)
    }

    func plain(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return s
        case .null: return ""
        default: return value.serialized
        }
    }

    func csvCell(_ value: JSONValue) -> String {
        let text = plain(value)
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

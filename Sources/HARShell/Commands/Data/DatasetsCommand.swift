import HARKit

/// `datasets`: the known datasets, whether each is present locally, its path.
struct DatasetsCommand: ShellCommand {
    static let spec = CommandSpec("datasets", family: .data, usage: "datasets",
                                  summary: "the known datasets, whether each is present locally, its path",
                                  examples: ["datasets"], replayable: false)

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> CommandResult { try shell.datasets(arguments) }
}

private extension Interpreter {
    func datasets(_ arguments: Arguments) throws -> CommandResult {
        var rows: [[String]] = []
        var entries: [JSONValue] = []
        for name in DatasetCatalog.names {
            let aliases = DatasetCatalog.aliases.filter { $0.value == name }.keys.sorted()
            let folder = DatasetCatalog.localFolder(name, dataDirectory: dataDirectory)
            let presence: String
            switch name {
            case "synthetic": presence = "built in"
            case "npy": presence = "any folder: load npy from PATH"
            default: presence = folder == nil ? "absent (download \(name))" : "present"
            }
            rows.append([name, aliases.joined(separator: " "), presence, folder?.path ?? ""])
            entries.append(.object([("name", .string(name)), ("aliases", .array(aliases.map { .string($0) })),
                                    ("present", .bool(folder != nil || name == "synthetic")),
                                    ("path", folder.map { .string($0.path) } ?? .null)]))
        }
        output.text("data dir: \(dataDirectory.path)")
        for line in TextTable(header: ["dataset", "aliases", "status", "path"], rows: rows).render() { output.text(line) }
        return CommandResult(command: "datasets", fields: [("data_dir", .string(dataDirectory.path)), ("datasets", .array(entries))])
    }
}

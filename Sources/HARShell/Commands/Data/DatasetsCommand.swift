import Foundation
import HARKit

/// `datasets`: the known datasets, whether each is present locally, its path.
struct DatasetsCommand: ShellCommand {
    static let spec = CommandSpec("datasets", family: .data, usage: "datasets",
                                  summary: "the known datasets, whether each is present locally, its path",
                                  examples: ["datasets"], replayable: false)

    /// One known dataset and where it is.
    struct Entry {
        /// The canonical name.
        var name: String
        /// Other names `load` takes for it.
        var aliases: [String]
        /// Its folder in the data dir, when present there.
        var folder: URL?

        /// Whether it can be loaded without a download.
        var isPresent: Bool { folder != nil || name == "synthetic" }

        /// `built in`, `present`, `absent (download NAME)`.
        var presence: String {
            switch name {
            case "synthetic": return "built in"
            case "npy": return "any folder: load npy from PATH"
            default: return folder == nil ? "absent (download \(name))" : "present"
            }
        }
    }

    /// The catalogue as found in the data dir.
    struct Catalog: CommandOutput {
        /// Where datasets are looked for.
        var dataDirectory: URL
        /// Every known dataset.
        var entries: [Entry]

        /// The data dir, then a table of dataset, aliases, status, path.
        func lines(in layout: TextLayout) -> [String] {
            ["data dir: \(dataDirectory.path)"]
                + TextTable(header: ["dataset", "aliases", "status", "path"],
                            rows: entries.map { [$0.name, $0.aliases.joined(separator: " "), $0.presence, $0.folder?.path ?? ""] }).render(width: layout.width)
        }

        /// `data_dir`, `datasets` (`name`, `aliases`, `present`, `path` each).
        var result: CommandResult {
            CommandResult(command: "datasets", fields: [
                ("data_dir", .string(dataDirectory.path)),
                ("datasets", .array(entries.map { entry in
                    .object([("name", .string(entry.name)), ("aliases", .array(entry.aliases.map { .string($0) })),
                             ("present", .bool(entry.isPresent)), ("path", entry.folder.map { .string($0.path) } ?? .null)])
                })),
            ])
        }
    }

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> Catalog {
        Catalog(dataDirectory: shell.dataDirectory, entries: DatasetCatalog.names.map { name in
            Entry(name: name, aliases: DatasetCatalog.aliases.filter { $0.value == name }.keys.sorted(),
                  folder: DatasetCatalog.localFolder(name, dataDirectory: shell.dataDirectory))
        })
    }
}

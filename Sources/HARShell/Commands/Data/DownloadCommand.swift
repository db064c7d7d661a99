import Foundation
import HARKit

/// `download NAME`: the original archive, SHA-256 verified, unpacked into the data dir.
struct DownloadCommand: ShellCommand {
    static let spec = CommandSpec("download", family: .data, usage: "download NAME",
                                  summary: "fetch the original archive, check its size and SHA-256, unpack into the data dir",
                                  details: ["The archive's size must match the server's Content-Length. No publisher gives a digest, so the",
                                            "first download's SHA-256 is recorded in <data dir>/.checksums.json (trust on first use) and",
                                            "every later download must match it; the message says which check was made."],
                                  examples: ["download uci-har"], keywords: Vocabulary.datasets, positionals: 1)

    /// The dataset downloaded and how its archive was checked.
    struct Downloaded: CommandOutput {
        /// The canonical dataset name.
        var name: String
        /// Where it was unpacked, its digest and the check made.
        var download: DatasetDownload

        /// The downloader's one-line summary.
        func lines(in layout: TextLayout) -> [String] { [download.summary] }

        /// `dataset`, `path`, `sha256`, `checked`.
        var result: CommandResult {
            CommandResult(command: "download", fields: [("dataset", .string(name)), ("path", .string(download.folder.path)),
                                                        ("sha256", .string(download.sha256)), ("checked", .string(download.check.rawValue))])
        }
    }

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> Downloaded { try shell.download(arguments) }
}

private extension Interpreter {
    func download(_ arguments: Arguments) throws -> DownloadCommand.Downloaded {
        let argument = try arguments.required(0, "dataset NAME")
        let name = try datasetName(argument)
        let started = Date()
        let result: DatasetDownload
        do {
            result = try DatasetDownloader.download(name, into: dataDirectory, shouldStop: shouldStop) { [output] received, expected in
                output.progress(Progress(label: "download \(name) (KiB)", done: Int(received / 1024),
                                         total: Int((expected ?? received) / 1024), elapsed: Date().timeIntervalSince(started)))
            }
        } catch let error as DatasetError {
            output.progress(nil)
            throw ShellError(error.message, at: argument.offset)
        }
        output.progress(nil)
        return DownloadCommand.Downloaded(name: name, download: result)
    }
}

import Foundation
import HARKit

/// `download NAME`: the original archive, SHA-256 verified, unpacked into the data dir.
struct DownloadCommand: ShellCommand {
    static let spec = CommandSpec("download", family: .data, usage: "download NAME",
                                  summary: "fetch the original archive, verify its SHA-256, unpack into the data dir",
                                  examples: ["download uci-har"], keywords: Vocabulary.datasets, positionals: 1)

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> CommandResult { try shell.download(arguments) }
}

private extension Interpreter {
    func download(_ arguments: Arguments) throws -> CommandResult {
        let argument = try arguments.required(0, "dataset NAME")
        let name = try datasetName(argument)
        let started = Date()
        let folder: URL
        do {
            folder = try DatasetDownloader.download(name, into: dataDirectory, shouldStop: shouldStop) { [output] received, expected in
                output.progress(Progress(label: "download \(name) (KiB)", done: Int(received / 1024),
                                         total: Int((expected ?? received) / 1024), elapsed: Date().timeIntervalSince(started)))
            }
        } catch let error as DatasetError {
            output.progress(nil)
            throw ShellError(error.message, at: argument.offset)
        }
        output.progress(nil)
        output.text("\(name) is in \(folder.path) (SHA-256 verified, recorded in \(DatasetDownloader.checksumFile))")
        return CommandResult(command: "download", fields: [("dataset", .string(name)), ("path", .string(folder.path))])
    }
}

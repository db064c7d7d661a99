import Foundation
@testable import HARShell

/// An interpreter writing into a buffer, with a fresh temporary folder for files.
func makeInterpreter() -> (Interpreter, OutputBuffer) {
    let buffer = OutputBuffer()
    return (Interpreter(output: buffer, dataDirectory: temporaryFolder()), buffer)
}

/// A new empty folder under the system's temporary directory.
func temporaryFolder() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("har-tests-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

extension Session {
    /// The parts of the session a failing command must leave unchanged, comparable in one assertion.
    var snapshot: String {
        "\(config)|\(recording?.path ?? "-")|\(history.filter(\.succeeded).map(\.command))"
    }
}

import Foundation
@testable import HARShell

/// An interpreter writing into a buffer, with a fresh temporary folder for files.
func makeInterpreter() -> (Interpreter, OutputBuffer) {
    let buffer = OutputBuffer()
    return (Interpreter(output: buffer, dataDirectory: temporaryFolder()), buffer)
}

/// The folder holding this test process's temporary folders; removed with everything in it when the process exits
/// (a run of the suite used to leave thousands of `har-tests-…` folders in /tmp).
let testFoldersRoot: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("har-tests-\(getpid())-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(at: testFoldersRoot) }
    return url
}()

/// A new empty folder under the system's temporary directory, removed when the test process exits.
func temporaryFolder() -> URL {
    let url = testFoldersRoot.appendingPathComponent(UUID().uuidString)
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

extension Session {
    /// The parts of the session a failing command must leave unchanged, comparable in one assertion.
    var snapshot: String {
        "\(config)|\(recording?.path ?? "-")|\(history.filter(\.succeeded).map(\.command))"
    }
}

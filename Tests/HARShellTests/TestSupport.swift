import Foundation
import XCTest
import HARKit
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

/// An interpreter recording into a fresh temporary run store, with small synthetic windows loaded and a tiny
/// `model` (a `model` command's arguments) built, batch 64, and three inference timing repetitions.
func makeStoreBackedInterpreter(model: String = "sa width=4 depth=1") throws -> (Interpreter, OutputBuffer, RunStore) {
    let (shell, out) = makeInterpreter()
    let store = try RunStore(url: temporaryFolder().appendingPathComponent("runs.sqlite"))
    shell.runStore = store
    shell.timingRepetitions = 3
    XCTAssertEqual(shell.execute("load synthetic window=32 overlap=0; model \(model); set batch 64"), .success)
    return (shell, out, store)
}

extension OutputBuffer {
    /// Every error message written so far, one per line (an assertion's message).
    var errorText: String { errors.map(\.error.message).joined(separator: "\n") }
}

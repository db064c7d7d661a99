import Foundation
import XCTest
import HARKit
@testable import HARShell

/// Two `har` processes training and recording runs into one store at the same time.
final class ConcurrentShellTests: IsolatedTestCase {
    func testTwoShellsTrainingIntoOneStoreLoseNothingAndShowNoLockError() throws {
        let binary = try HarBinary.required()
        let folder = temporaryFolder()
        let store = folder.appendingPathComponent("runs.sqlite")
        let processes = try (0..<2).map { index -> (Process, Pipe) in
            let process = Process()
            process.executableURL = binary
            process.arguments = ["--no-rc", "--quiet", "-c",
                                 "load synthetic window=32 overlap=0; model sa width=2 depth=1; set batch 256; train 2; eval; train 1; eval"]
            process.environment = ["HOME": temporaryFolder().path, "HAR_RUNS": store.path]
            let errors = Pipe()
            process.standardOutput = FileHandle.nullDevice
            process.standardError = errors
            try process.run()
            return (process, errors)
        }
        let messages = processes.map { String(decoding: $0.1.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
        processes.forEach { $0.0.waitUntilExit() }
        XCTAssertEqual(processes.map { $0.0.terminationStatus }, [0, 0], messages.joined(separator: "\n"))
        for message in messages {
            XCTAssertFalse(message.lowercased().contains("lock") || message.contains("warning: run store"), message)
        }
        let runs = try RunStore(url: store).runs()
        XCTAssertEqual(runs.count, 2, "one run per shell")
        XCTAssertEqual(runs.map(\.epochCount), [3, 3], "every epoch of both")
    }
}

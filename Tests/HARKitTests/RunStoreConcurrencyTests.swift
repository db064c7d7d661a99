import Foundation
import XCTest
@testable import HARKit
import TestSupport

/// Two real processes (this test binary, started again as writers) record runs into one store at the same time.
final class RunStoreConcurrencyTests: IsolatedTestCase {
    static let storeVariable = "HARLAB_TEST_WRITER_STORE"
    static let nameVariable = "HARLAB_TEST_WRITER_NAME"
    static let runsPerWriter = 40
    static let epochsPerRun = 3

    func testTwoProcessesWritingAtOnceLoseNothing() throws {
        let url = try makeTemporaryFolder(self).appendingPathComponent("runs.sqlite")
        _ = try RunStore(url: url)
        let writers = try ["a", "b"].map { name -> Process in
            try ChildTestProcess.start("RunStoreConcurrencyTests/testWriterProcessRecordsRuns",
                                       environment: [Self.storeVariable: url.path, Self.nameVariable: name])
        }
        // A writer that hangs (a lock never released) fails the test after 5 minutes instead of holding CI.
        for writer in writers { try ChildTestProcess.wait(for: writer, seconds: 300) }
        XCTAssertEqual(writers.map(\.terminationStatus), [0, 0], "both writer processes succeed")

        let store = try RunStore(url: url)
        let runs = try store.runs()
        XCTAssertEqual(runs.count, 2 * Self.runsPerWriter)
        for name in ["a", "b"] {
            let labels = Set(runs.compactMap(\.label).filter { $0.hasPrefix(name + " ") })
            XCTAssertEqual(labels, Set((0..<Self.runsPerWriter).map { "\(name) \($0)" }), "every run of writer \(name) is there")
        }
        XCTAssertTrue(runs.allSatisfy { $0.status == .finished && $0.epochCount == Self.epochsPerRun }, "every epoch and end is there")
        let a = runs.filter { $0.label?.hasPrefix("a") == true }.map(\.startedAt)
        let b = runs.filter { $0.label?.hasPrefix("b") == true }.map(\.startedAt)
        if let aFirst = a.min(), let aLast = a.max(), let bFirst = b.min(), let bLast = b.max() {
            XCTAssertTrue(aFirst < bLast && bFirst < aLast, "the writers wrote at the same time")
        }
    }

    /// The writer's side of `testTwoProcessesWritingAtOnceLoseNothing`; skipped when run on its own.
    func testWriterProcessRecordsRuns() throws {
        let path = try ChildTestProcess.entryPoint(Self.storeVariable, startedBy: "testTwoProcessesWritingAtOnceLoseNothing")
        let name = try ChildTestProcess.entryPoint(Self.nameVariable, startedBy: "testTwoProcessesWritingAtOnceLoseNothing")
        let store = try RunStore(url: URL(fileURLWithPath: path))
        let folder = store.url.deletingLastPathComponent()
        XCTAssertTrue(FileManager.default.createFile(atPath: folder.appendingPathComponent("ready-\(name)").path, contents: nil), "could not create a file")
        let deadline = Date().addingTimeInterval(30)
        while !["a", "b"].allSatisfy({ FileManager.default.fileExists(atPath: folder.appendingPathComponent("ready-\($0)").path) }) {
            guard Date() < deadline else { throw RunStoreError("the other writer never became ready") }
            usleep(1000)
        }
        for index in 0..<Self.runsPerWriter {
            let id = try store.begin(RunStart(dataset: "synthetic", model: "sa", config: TrainingConfig(), label: "\(name) \(index)"))
            for epoch in 1...Self.epochsPerRun { try store.append(sampleEpoch(epoch), to: id) }
            try store.finish(id, RunEnd(status: .finished, trainSeconds: 1))
        }
    }
}

import Foundation
import XCTest
@testable import HARKit
import TestSupport

/// Several real processes open one new, empty store at the same instant and each record a run.
///
/// This is the race that lost whole runs (issue 12): GRDB's migrator reads which migrations are applied before it
/// takes the write lock, so two processes creating the store together both applied the schema; the second failed
/// (`table runs already exists`, `UNIQUE constraint failed: grdb_migrations.identifier`) and its shell went on without
/// a store. Without `RunStore.migrate`'s retry this test failed in about one race in seven with two processes.
final class RunStoreFirstOpenRaceTests: IsolatedTestCase {
    static let storeVariable = "HARLAB_TEST_RACE_STORE"
    static let nameVariable = "HARLAB_TEST_RACE_NAME"
    static let epochsPerRun = 3

    func testProcessesOpeningANewStoreAtOnceEachRecordTheirRun() throws {
        let races = StressCount.value(quick: 10, full: 200)
        for race in 0..<races {
            let writers = race % 2 == 0 ? ["a", "b"] : ["a", "b", "c"]
            let folder = try makeTemporaryFolder(self)
            let url = folder.appendingPathComponent("runs.sqlite")
            let processes = try writers.map { name in
                try ChildTestProcess.start("RunStoreFirstOpenRaceTests/testWriterProcessOpensTheStoreAtTheSignal",
                                           environment: [Self.storeVariable: url.path, Self.nameVariable: name])
            }
            try waitForFiles(writers.map { folder.appendingPathComponent("ready-\($0)") }, processes: processes)
            XCTAssertTrue(FileManager.default.createFile(atPath: folder.appendingPathComponent("go").path, contents: nil), "could not create a file")
            try processes.forEach { try ChildTestProcess.wait(for: $0, seconds: 60) }
            let errors = writers.compactMap { try? String(contentsOf: folder.appendingPathComponent("error-\($0)"), encoding: .utf8) }
            XCTAssertEqual(processes.map(\.terminationStatus), writers.map { _ in 0 },
                           "race \(race): every writer opened the store and recorded its run: \(errors.joined(separator: "; "))")

            let runs = try RunStore(url: url).runs()
            XCTAssertEqual(Set(runs.compactMap(\.label)), Set(writers), "race \(race) (\(writers.count) processes): one run per process")
            XCTAssertTrue(runs.allSatisfy { $0.status == .finished && $0.epochCount == Self.epochsPerRun },
                          "race \(race): every epoch and every end is recorded")
            if !runs.isEmpty, runs.count != writers.count { break }
        }
    }

    /// The writer's side of the race: waits for the `go` file beside the store, then opens the new store and records
    /// one run of three epochs. Skipped when not started by the race test.
    func testWriterProcessOpensTheStoreAtTheSignal() throws {
        let starter = "testProcessesOpeningANewStoreAtOnceEachRecordTheirRun"
        let path = try ChildTestProcess.entryPoint(Self.storeVariable, startedBy: starter)
        let name = try ChildTestProcess.entryPoint(Self.nameVariable, startedBy: starter)
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        XCTAssertTrue(FileManager.default.createFile(atPath: folder.appendingPathComponent("ready-\(name)").path, contents: nil), "could not create a file")
        let go = folder.appendingPathComponent("go").path
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: go) {
            guard Date() < deadline else { throw RunStoreError("the signal to open the store never came") }
            usleep(100)
        }
        do {
            let store = try RunStore(url: url)
            let id = try store.begin(RunStart(dataset: "synthetic", model: "sa", config: TrainingConfig(), label: name))
            for epoch in 1...Self.epochsPerRun { try store.append(sampleEpoch(epoch), to: id) }
            try store.finish(id, RunEnd(status: .finished, trainSeconds: 1))
        } catch {
            try? "\(error)".write(to: folder.appendingPathComponent("error-\(name)"), atomically: true, encoding: .utf8)
            throw error
        }
    }

    /// Waits until every file exists, failing (rather than hanging) when a process ends first or a minute passes.
    private func waitForFiles(_ files: [URL], processes: [Process]) throws {
        let deadline = Date().addingTimeInterval(60)
        while !files.allSatisfy({ FileManager.default.fileExists(atPath: $0.path) }) {
            if let ended = processes.first(where: { !$0.isRunning }) {
                throw RunStoreError("a writer process ended (status \(ended.terminationStatus)) before it was ready")
            }
            guard Date() < deadline else { throw RunStoreError("the writer processes were not ready within a minute") }
            usleep(1000)
        }
    }
}

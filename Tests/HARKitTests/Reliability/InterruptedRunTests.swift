import Foundation
import GRDB
import XCTest
@testable import HARKit
import TestSupport

/// A run whose process is killed is marked `interrupted` the next time the store is opened; a run of a live
/// process is left `running`; stores written before runs had owners still open.
final class InterruptedRunTests: IsolatedTestCase {
    static let storeVariable = "HARLAB_TEST_RECORDER_STORE"
    static let labelVariable = "HARLAB_TEST_RECORDER_LABEL"

    func testOwnerIdentityTellsALiveProcessFromAnEndedOrReusedOne() throws {
        let me = RunOwner.current
        XCTAssertNotNil(me.startTicks, "/proc tells this process's start time")
        XCTAssertEqual(me.isAlive(), true)
        var reused = me
        reused.startTicks = me.startTicks.map { $0 + 1 }
        XCTAssertEqual(reused.isAlive(), false, "the same pid with another start time is another process")
        var rebooted = me
        rebooted.bootID = "00000000-0000-0000-0000-000000000000"
        XCTAssertEqual(rebooted.isAlive(), false, "a process of an earlier boot has ended")
        var elsewhere = me
        elsewhere.host = me.host + "-other"
        XCTAssertNil(elsewhere.isAlive(), "a process of another machine cannot be judged")

        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        try ChildTestProcess.wait(for: child, seconds: 60)
        XCTAssertEqual(RunOwner(host: me.host, bootID: me.bootID, pid: child.processIdentifier, startTicks: nil).isAlive(), false,
                       "an exited child (reaped, pid not reused yet) is not alive")
    }

    func testKilledRecorderIsMarkedInterruptedAndALiveRecorderIsNotTouched() throws {
        let folder = try makeTemporaryFolder(self)
        let url = folder.appendingPathComponent("runs.sqlite")
        _ = try RunStore(url: url).record(sampleStart(label: "done"), epochs: [sampleEpoch(1)], end: RunEnd(status: .finished, trainSeconds: 1))
        let killed = try startRecorder(label: "killed", store: url, in: folder)
        let living = try startRecorder(label: "living", store: url, in: folder)
        defer { for process in [killed, living] where process.isRunning { kill(process.processIdentifier, SIGKILL); try? ChildTestProcess.wait(for: process, seconds: 60) } }
        kill(killed.processIdentifier, SIGKILL)
        try ChildTestProcess.wait(for: killed, seconds: 60)

        let store = try RunStore(url: url)
        let runs = try store.runs()
        let byLabel = Dictionary(runs.map { ($0.label ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        XCTAssertEqual(byLabel["done"]?.status, .finished)
        XCTAssertEqual(byLabel["killed"]?.status, .interrupted)
        XCTAssertTrue(byLabel["killed"]?.message?.contains("pid \(killed.processIdentifier)") == true, "\(byLabel["killed"]?.message ?? "")")
        XCTAssertEqual(byLabel["killed"]?.epochCount, 1, "the epoch recorded before the kill is kept")
        XCTAssertEqual(byLabel["living"]?.status, .running, "another live process's run is not touched")
        XCTAssertTrue(living.isRunning)
        XCTAssertEqual(try store.markInterruptedRuns(), [], "nothing more to mark while the second recorder lives")

        kill(living.processIdentifier, SIGKILL)
        try ChildTestProcess.wait(for: living, seconds: 60)
        XCTAssertEqual(try store.runs().first { $0.label == "living" }?.status, .interrupted, "listing runs marks it once its process is gone")
    }

    func testStoreWithThePreviousSchemaOpensAndKeepsItsRuns() throws {
        let url = try makeTemporaryFolder(self).appendingPathComponent("runs.sqlite")
        do {
            let pool = try DatabasePool(path: url.path)
            try RunStoreSchema.migrator.migrate(pool, upTo: "v1: runs and epochs")
            let config = try RunJSON.text(TrainingConfig())
            try pool.write { db in
                for (id, status) in [(1, "finished"), (2, "running"), (3, "failed")] {
                    try db.execute(sql: """
                        INSERT INTO runs (id, dataset, protocol, model, config, seed, versions, host, started_at, status)
                        VALUES (?, 'uci-har', '{}', 'sa', ?, 1, '{}', 'oldhost', '2026-01-01 00:00:00.000', ?)
                        """, arguments: [id, config, status])
                    try db.execute(sql: "INSERT INTO epochs (run_id, epoch, train_loss) VALUES (?, 1, 0.5)", arguments: [id])
                }
                try db.execute(sql: "DELETE FROM runs WHERE id = 3")
            }
        }
        let store = try RunStore(url: url)
        let runs = try store.runs()
        XCTAssertEqual(runs.map(\.id), [1, 2])
        XCTAssertEqual(runs.map(\.status), [.finished, .running], "a run without a recorded owner is left as it was")
        XCTAssertEqual(runs.map(\.epochCount), [1, 1], "rebuilding the runs table keeps the epochs")
        XCTAssertEqual(try store.begin(sampleStart(label: "new")), 4, "ids keep counting past a deleted run")
    }

    /// The recorder side of the kill test: begins a run with one epoch, says it is ready, and waits to be killed.
    func testRecorderProcess() throws {
        let test = "testKilledRecorderIsMarkedInterruptedAndALiveRecorderIsNotTouched"
        let path = try ChildTestProcess.entryPoint(Self.storeVariable, startedBy: test)
        let label = try ChildTestProcess.entryPoint(Self.labelVariable, startedBy: test)
        let store = try RunStore(url: URL(fileURLWithPath: path))
        let id = try store.begin(sampleStart(label: label))
        try store.append(sampleEpoch(1), to: id)
        XCTAssertTrue(FileManager.default.createFile(atPath: store.url.deletingLastPathComponent().appendingPathComponent("\(label).ready").path, contents: nil), "could not create a file")
        Thread.sleep(forTimeInterval: 60)
    }

    /// Starts this test binary as a recorder of a run labelled `label` and waits until the run is recorded.
    private func startRecorder(label: String, store: URL, in folder: URL) throws -> Process {
        let process = try ChildTestProcess.start("InterruptedRunTests/testRecorderProcess",
                                                 environment: [Self.storeVariable: store.path, Self.labelVariable: label])
        let ready = folder.appendingPathComponent("\(label).ready").path
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: ready), process.isRunning, Date() < deadline { usleep(5_000) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: ready), "recorder '\(label)' recorded its run")
        return process
    }
}

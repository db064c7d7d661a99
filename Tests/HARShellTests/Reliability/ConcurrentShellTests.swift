import Foundation
import XCTest
import HARKit
@testable import HARShell
import TestSupport

/// `har` processes training and recording runs into one new store at the same time, and what a shell does when its
/// runs cannot be recorded.
final class ConcurrentShellTests: IsolatedTestCase {
    static let script = "load synthetic window=32 overlap=0; model sa width=2 depth=1; set batch 256; train 2; eval; train 1; eval"

    /// Before the fix, two such shells into a new store lost one shell's whole run in about one race in seven
    /// (the second process failed to migrate the new store, said so on standard output only, and exited 0).
    /// 10 races here (half of them with three shells), 200 with `HARLAB_STRESS=1`.
    func testShellsTrainingIntoOneNewStoreLoseNoRunAndNoEpoch() throws {
        let binary = try HarBinary.required()
        let races = StressMode.count(quick: 10, full: 200)
        for race in 0..<races {
            let shells = race % 2 == 0 ? 2 : 3
            let store = temporaryFolder().appendingPathComponent("runs.sqlite")
            let processes = try (0..<shells).map { _ -> (Process, Pipe) in
                let process = Process()
                process.executableURL = binary
                process.arguments = ["--no-rc", "--quiet", "-c", Self.script]
                process.environment = ["HOME": temporaryFolder().path, "HAR_RUNS": store.path]
                let errors = Pipe()
                process.standardOutput = FileHandle.nullDevice
                process.standardError = errors
                try process.run()
                return (process, errors)
            }
            let messages = processes.map { String(decoding: $0.1.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
            try processes.forEach { try ProcessDeadline.wait(for: $0.0, seconds: 120, "har in race \(race)") }
            let context = "race \(race) with \(shells) shells: " + messages.joined(separator: "\n")
            XCTAssertEqual(processes.map { $0.0.terminationStatus }, Array(repeating: 0, count: shells), context)
            XCTAssertEqual(messages, Array(repeating: "", count: shells), "nothing on standard error — " + context)
            let runs = try RunStore(url: store).runs()
            XCTAssertEqual(runs.count, shells, "one run per shell — " + context)
            XCTAssertEqual(runs.map(\.epochCount), Array(repeating: 3, count: runs.count), "every epoch of every run — " + context)
            XCTAssertTrue(runs.allSatisfy { $0.testMetrics != nil && $0.status == .finished }, "every run finished with its test metrics — " + context)
            if runs.count != shells { break }
        }
    }

    /// A store that cannot be opened is said on standard error (not mixed into the output), and a `-c` that trained
    /// a run it could not record exits 1.
    func testAStoreThatCannotBeOpenedIsReportedOnStandardErrorAndFailsTheExitStatus() throws {
        let folder = temporaryFolder()
        let store = folder.appendingPathComponent("runs.sqlite")
        try Data(repeating: 0x5A, count: 8192).write(to: store)
        let run = try HarBinary.run(["--no-rc", "--quiet", "-c", "load synthetic window=32 overlap=0; model sa width=2 depth=1; train 1"],
                                    environment: ["HAR_RUNS": store.path])
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("warning: runs are kept in this session only"), run.stderr)
        XCTAssertTrue(run.stderr.contains("run 1 is not recorded in the run store"), run.stderr)
        XCTAssertFalse(run.stdout.contains("warning"), run.stdout)
        XCTAssertTrue(run.stdout.contains("1 epoch in"), "the training itself ran: " + run.stdout)
        XCTAssertEqual(try Data(contentsOf: store), Data(repeating: 0x5A, count: 8192), "the file that is not a store is left as it was")

        let withoutRun = try HarBinary.run(["--no-rc", "--quiet", "-c", "load synthetic window=32 overlap=0"],
                                           environment: ["HAR_RUNS": store.path])
        XCTAssertEqual(withoutRun.status, 0, "no run was lost: " + withoutRun.stderr)
        XCTAssertTrue(withoutRun.stderr.contains("warning: runs are kept in this session only"), withoutRun.stderr)
    }

    /// A store that fails while a run is recorded warns (as a warning, not as output) and marks the session.
    func testARunTheStoreFailsToRecordWarnsAndMarksTheSession() throws {
        let folder = temporaryFolder()
        let url = folder.appendingPathComponent("runs.sqlite")
        let store = try RunStore(url: url)
        let output = OutputBuffer()
        let interpreter = Interpreter(output: output, dataDirectory: folder)
        interpreter.runStore = store
        XCTAssertEqual(interpreter.execute("load synthetic window=32 overlap=0; model sa width=2 depth=1"), .success)
        try breakRunsTable(of: url)
        XCTAssertEqual(interpreter.execute("train 1"), .success, "a store failure does not fail the training it records")
        XCTAssertTrue(interpreter.hasUnrecordedRuns)
        XCTAssertEqual(output.warnings.count, 1, output.warnings.joined(separator: "\n"))
        XCTAssertTrue(output.warnings.first?.contains("run 1 is not recorded in the run store: ") == true, output.warnings.joined())
        XCTAssertFalse(output.transcript.contains("warning"), output.transcript)
    }

    /// Adds a trigger that refuses every insert into the store's `runs` table, through a second connection.
    private func breakRunsTable(of url: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            db.executescript("CREATE TRIGGER refuse BEFORE INSERT ON runs BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;")
            db.commit()
            """, url.path]
        try process.run()
        try ProcessDeadline.wait(for: process, seconds: 30, "python3 adding the trigger")
        XCTAssertEqual(process.terminationStatus, 0, "python3 adds the trigger")
    }
}

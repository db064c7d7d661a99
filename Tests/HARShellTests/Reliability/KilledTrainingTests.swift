import Foundation
import XCTest
import HARKit
import TestSupport

/// A `har` killed with SIGKILL in the middle of `train` keeps, in the run store, every epoch that finished before the
/// kill, and its run shows as `interrupted`. Before runs were recorded epoch by epoch (RunRecorder) the store held the
/// run with no epoch at all: they were written only after `train` returned.
final class KilledTrainingTests: IsolatedTestCase {
    func testAShellKilledDuringEpochNKeepsEpochsOneToNMinusOneAndIsInterrupted() throws {
        let binary = try HarBinary.required()
        let home = temporaryFolder()
        let url = home.appendingPathComponent("runs.sqlite")
        let process = Process()
        process.executableURL = binary
        process.arguments = ["--no-rc", "--quiet", "-c", "load synthetic window=32 overlap=0; model sa width=2 depth=1; set batch 64; train 1000"]
        process.environment = ["HOME": home.path, "HAR_RUNS": url.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() } }

        // Wait (at most two minutes) until the store holds two finished epochs, then kill at once.
        let deadline = Date().addingTimeInterval(120)
        var recorded = 0
        while recorded < 2 {
            XCTAssertTrue(process.isRunning, "har ended before its second epoch (status \(process.terminationStatus))")
            guard process.isRunning, Date() < deadline else { return XCTFail("no second epoch in the store within two minutes") }
            usleep(20_000)
            if FileManager.default.fileExists(atPath: url.path), let run = try? RunStore(url: url).runs().first {
                recorded = run.epochCount
            }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)

        let store = try RunStore(url: url)
        let run = try XCTUnwrap(try store.runs().first)
        XCTAssertEqual(run.status, .interrupted)
        let epochs = try store.epochs(of: run.id).map(\.epoch)
        XCTAssertGreaterThanOrEqual(epochs.count, recorded, "every epoch seen before the kill is still there")
        XCTAssertLessThan(epochs.count, 1000, "the kill landed mid-run")
        XCTAssertEqual(epochs, Array(1...epochs.count), "epochs 1…N−1, in order, none lost in between")
    }
}

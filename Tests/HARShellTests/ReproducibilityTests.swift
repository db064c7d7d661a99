import Foundation
import XCTest
@testable import HARShell
import TestSupport

/// The same seed gives the same numbers: across two processes, and when a recorded session is replayed.
final class ReproducibilityTests: IsolatedTestCase {
    private let script = "load synthetic window=32 overlap=0; set seed 3; set batch 32; model sa width=4 depth=2; train 2; eval"

    /// Training losses and test accuracy printed by one `har --json` process.
    private func numbers(of run: HarBinary.Run) throws -> [Double] {
        let objects = try run.stdout.split(separator: "\n").compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let losses = objects.compactMap { $0["train_loss"] as? Double }
        let accuracy = objects.compactMap { $0["command"] as? String == "eval" ? $0["accuracy"] as? Double : nil }
        return losses + accuracy
    }

    func testTwoProcessesWithTheSameSeedPrintBitIdenticalLossesAndAccuracy() throws {
        let first = try HarBinary.run(["--no-rc", "--quiet", "--json", "-c", script])
        let second = try HarBinary.run(["--no-rc", "--quiet", "--json", "-c", script])
        XCTAssertEqual(first.status, 0, first.stderr)
        let a = try numbers(of: first), b = try numbers(of: second)
        XCTAssertEqual(a.count, 3, first.stdout)
        XCTAssertEqual(a, b)
        let other = try HarBinary.run(["--no-rc", "--quiet", "--json", "-c", script.replacingOccurrences(of: "set seed 3", with: "set seed 4")])
        XCTAssertNotEqual(try numbers(of: other), a)
    }

    func testReplayingARecordedSessionReproducesItsResults() throws {
        let file = temporaryFolder().appendingPathComponent("session.har")
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.execute("record \(file.path)"), .success)
        XCTAssertEqual(shell.execute(script), .success, out.errors.map(\.error.message).joined())
        XCTAssertEqual(shell.execute("record off"), .success)
        let losses = try XCTUnwrap(shell.session.trainer?.history.map(\.trainLoss))
        let confusion = try XCTUnwrap(shell.session.lastEvaluation?.metrics.confusion)

        let (replay, replayOut) = makeInterpreter()
        XCTAssertEqual(replay.execute("run \(file.path)"), .success, replayOut.errors.map(\.error.message).joined())
        XCTAssertEqual(replay.session.trainer?.history.map(\.trainLoss), losses)
        XCTAssertEqual(replay.session.lastEvaluation?.metrics.confusion, confusion)
    }
}

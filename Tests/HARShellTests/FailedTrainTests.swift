import XCTest
import HARKit
@testable import HARShell
import TestSupport

/// A `train` that fails part-way leaves the session as it was, the model's weights included, and ends its run
/// in the store as failed (docs/ARCHITECTURE.md, "State").
final class FailedTrainTests: IsolatedTestCase {
    func testATrainThatFailsMidEpochLeavesTheSessionAndWeightsAsTheyWereAndEndsItsRunAsFailed() throws {
        let (shell, out) = makeInterpreter()
        let store = try RunStore(url: temporaryFolder().appendingPathComponent("runs.sqlite"))
        shell.runStore = store
        XCTAssertEqual(shell.execute("load synthetic window=32 overlap=0; model sa width=4 depth=1; set batch 16"), .success)
        // One training window labelled as a class the model does not have: the loss fails after some steps.
        var dataset = try XCTUnwrap(shell.session.dataset)
        dataset.labels[dataset.indices(in: .train).last!] = dataset.classNames.count
        shell.session.dataset = dataset
        let model = try XCTUnwrap(shell.session.model)
        let weights = try ParameterStatistics.of(model)
        let before = shell.session.snapshot

        var batches = 0
        shell.shouldStop = { batches += 1; return false }
        XCTAssertEqual(shell.execute("train 2"), .failure)
        XCTAssertGreaterThan(batches, 3, "several optimizer steps ran before the failure")
        XCTAssertTrue(out.errors.last?.error.message.contains("out of bounds") == true, out.errors.last?.error.message ?? "")

        XCTAssertTrue(shell.session.model === model)
        XCTAssertTrue(try ParameterStatistics.of(model) == weights, "the weights before the command")
        XCTAssertNil(shell.session.trainer)
        XCTAssertTrue(shell.session.runs.isEmpty)
        XCTAssertEqual(shell.session.snapshot, before)
        let records = try store.runs()
        XCTAssertEqual(records.map(\.status), [.failed], "the run the command opened does not stay running")
    }
}

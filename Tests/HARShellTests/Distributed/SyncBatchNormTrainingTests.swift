import Foundation
import HARKit
import TestSupport
import XCTest

/// `set sync_bn on` in a data-parallel job (real `har` processes on loopback): a model with batch norm trained by 2
/// ranks follows the loss curve of one process over the same global batches, and the run records the setting.
final class SyncBatchNormTrainingTests: IsolatedTestCase {
    /// `cnn` (two convolution stages, each with batch norm; no dropout) on 2 ranks with synchronised batch norm gives
    /// the loss curve of one process (`amp off`: float32). Batch 3 splits 2/1, so each rank's own statistics differ
    /// much from the batch's: with `sync_bn off` the same job's train loss differed from one process's by ~1e-2
    /// relative (measured), against a bound of 1e-5 — float32's 1.2e-7 grown over the epoch's ~600 AdamW steps, as for
    /// the model without batch norm in DistributedTrainingTests; measured with sync_bn on: ~1e-7. The statistics are
    /// summed in float64 on every side, the rest differs from one process only in float32 summation order. About
    /// 30–60 s on a busy 2-core machine (two trainings of ~600 steps).
    func testTwoRanksWithSyncBatchNormFollowTheLossCurveOfOneProcess() throws {
        let script = "load synthetic overlap=0; model cnn width=4 depth=2; set batch 3; set seed 3; set amp off; set sync_bn on; train 1"
        let alone = try HarBinary.run(["--no-rc", "--quiet", "--json", "-c", script])
        XCTAssertEqual(alone.status, 0, alone.stderr)
        let job = try RankProcesses(worldSizes: [2, 2], arguments: ["--json"]) { _ in script }
        try job.wait()
        XCTAssertEqual(job.ranks.map(\.status), [0, 0], job.transcript)
        let expected = try DistributedTrainingTests.epochLosses(alone.stdout)
        let measured = try DistributedTrainingTests.epochLosses(job.ranks[0].output)
        XCTAssertEqual(expected.count, 1, alone.stdout)
        XCTAssertEqual(measured.count, 1, job.transcript)
        for (epoch, (one, two)) in zip(expected, measured).enumerated() {
            for (name, a, b) in [("train", one.train, two.train), ("validation", one.validation, two.validation)] {
                XCTAssertEqual(b, a, accuracy: 1e-5 * abs(a), "epoch \(epoch + 1) \(name) loss: 1 process \(a), 2 ranks \(b)")
            }
        }
        let runs = try RunStore(url: job.store).runs()
        XCTAssertEqual(runs.first?.config.syncBatchNorm, true, "the run records sync_bn — " + job.transcript)
    }
}

import Foundation
import HARKit
import TestSupport
import XCTest

/// `set sync_bn on` in a data-parallel job (real `har` processes on loopback): a model with batch norm trained by 2
/// ranks follows the loss curve of one process over the same global batches, and the run records the setting.
final class SyncBatchNormTrainingTests: IsolatedTestCase {
    /// `cnn` (two convolution stages, each with batch norm; no dropout) on 2 ranks with synchronised batch norm gives
    /// the loss curve of one process (`amp off`: float32), over 2 epochs of batch 33, shares 17/16. Measured (debug
    /// build): train and validation losses within 1.5e-7 relative of one process's; the same job with `sync_bn off`
    /// (each rank's own statistics) differs by 1.7e-3 to 2.4e-2 relative. The bound, 1e-5, is float32's 1.2e-7 grown
    /// over ~110 steps, as for the model without batch norm in DistributedTrainingTests; the statistics are summed in
    /// float64 on every side, the rest differs only in float32 summation order.
    /// SGD, not AdamW: the bias of a convolution followed by batch norm has a true gradient of 0, so its computed
    /// gradient is rounding noise, which AdamW divides by its own running RMS into lr-sized steps; one process and the
    /// ranks then drift apart in those biases (measured with AdamW: 1e-3 relative after an epoch, moving the running
    /// means and the validation loss by ~1e-4 relative, as two ways of computing one batch norm in one process also do)
    /// while every real gradient agrees. SGD's steps stay proportional to the gradient. About 20–40 s on a busy machine.
    func testTwoRanksWithSyncBatchNormFollowTheLossCurveOfOneProcess() throws {
        let script = "load synthetic overlap=0; model cnn width=4 depth=2; set batch 33; set seed 3; set amp off; "
            + "set optimizer sgd; set lr 0.05; set sync_bn on; train 2"
        let alone = try HarBinary.run(["--no-rc", "--quiet", "--json", "-c", script])
        XCTAssertEqual(alone.status, 0, alone.stderr)
        let job = try RankProcesses(worldSizes: [2, 2], arguments: ["--json"]) { _ in script }
        try job.wait()
        XCTAssertEqual(job.ranks.map(\.status), [0, 0], job.transcript)
        let expected = try DistributedTrainingTests.epochLosses(alone.stdout)
        let measured = try DistributedTrainingTests.epochLosses(job.ranks[0].output)
        XCTAssertEqual(expected.count, 2, alone.stdout)
        XCTAssertEqual(measured.count, 2, job.transcript)
        for (epoch, (one, two)) in zip(expected, measured).enumerated() {
            for (name, a, b) in [("train", one.train, two.train), ("validation", one.validation, two.validation)] {
                XCTAssertEqual(b, a, accuracy: 1e-5 * abs(a), "epoch \(epoch + 1) \(name) loss: 1 process \(a), 2 ranks \(b)")
            }
        }
        let runs = try RunStore(url: job.store).runs()
        XCTAssertEqual(runs.first?.config.syncBatchNorm, true, "the run records sync_bn — " + job.transcript)
    }
}

import Foundation
import HARKit
import TestSupport
import XCTest

/// `har SCRIPT` as the ranks of a data-parallel job (real child processes on loopback, c10d's store and Gloo
/// underneath): only rank 0 speaks and records; the job trains like one process on the same global batches; a
/// killed rank, a master nobody hosts, a port in use, wrong RANK/WORLD_SIZE and ranks that load different data each
/// end every rank with a message naming the cause, within the stated bound.
///
/// Each test starts two or three `har` processes (a few seconds each in a debug build; the training tests take
/// about 10–40 s on a busy 2-core machine).
final class DistributedTrainingTests: IsolatedTestCase {
    private static let load = "load synthetic window=32 overlap=0"

    /// `sa` and `attn+lstm`, each on 2 ranks and on 3: every rank ends with status 0, rank 0 prints and records one
    /// run, the others print and record nothing. Every epoch ended with the ranks' weight checksums compared (a
    /// difference fails the run: DataParallelTests shows that check failing). Four jobs: 40–80 s on a busy machine.
    func testTwoAndThreeRanksTrainWithOneVoiceAndOneRecordedRun() throws {
        let models = ["sa width=2 depth=1", "attn+lstm width=2 depth=1 hidden=8"]
        for (ranks, model) in [2, 3].flatMap({ ranks in models.map { (ranks, $0) } }) {
            let job = try RankProcesses(worldSizes: Array(repeating: ranks, count: ranks)) { _ in
                "\(Self.load); model \(model); set batch 256; train 2; eval"
            }
            try job.wait()
            let context = "\(model) on \(ranks) ranks:\n" + job.transcript
            XCTAssertEqual(job.ranks.map(\.status), Array(repeating: 0, count: ranks), context)
            XCTAssertTrue(job.ranks[0].output.contains("2 epochs in"), context)
            XCTAssertTrue(job.ranks[0].output.contains("accuracy"), "rank 0 reports the evaluation — " + context)
            for other in job.ranks.dropFirst() {
                XCTAssertEqual(other.output, "", "only rank 0 prints — " + context)
                // (c10d's own log lines, such as a retried connection, may appear; no message of harlab's)
                XCTAssertFalse(other.errors.contains("error:") || other.errors.contains("warning:"), context)
            }
            let runs = try RunStore(url: job.store).runs()
            XCTAssertEqual(runs.count, 1, "only rank 0 records — " + context)
            XCTAssertEqual(runs.first?.epochCount, 2, context)
            XCTAssertEqual(runs.first?.status, .finished, context)
        }
    }

    /// A model without batch norm or dropout (`lstm`) trained on 2 ranks gives the loss curve of one process over
    /// the same global batches, in float32 (`amp off`): each step's gradient is the share-weighted sum of the ranks'
    /// gradients, which equals the whole batch's up to float32 summation order. Batch 3 splits 2/1, so a gradient
    /// averaged over the ranks instead of weighted by their shares moves the losses by ~3e-3 relative (measured by
    /// breaking the weighting); with batch 101 (51/50) it stayed below 1e-5 and went unseen, hence the small batch.
    /// Measured with the weighting right (batch 101, 3 epochs): validation losses bit-identical, train losses (summed
    /// in the all-reduce's float32 buffer) within 3e-8 relative. The bound, 1e-5, is float32's 1.2e-7 grown over the
    /// epoch's ~600 AdamW steps. About 30–60 s on a busy 2-core machine (two trainings of ~600 steps each).
    func testTwoRanksFollowTheLossCurveOfOneProcess() throws {
        let script = "load synthetic overlap=0; model lstm hidden=8 layers=1; set batch 3; set seed 3; set amp off; train 1"
        let alone = try HarBinary.run(["--no-rc", "--quiet", "--json", "-c", script])
        XCTAssertEqual(alone.status, 0, alone.stderr)
        let job = try RankProcesses(worldSizes: [2, 2], arguments: ["--json"]) { _ in script }
        try job.wait()
        XCTAssertEqual(job.ranks.map(\.status), [0, 0], job.transcript)
        let expected = try Self.epochLosses(alone.stdout), measured = try Self.epochLosses(job.ranks[0].output)
        XCTAssertEqual(expected.count, 1, alone.stdout)
        XCTAssertEqual(measured.count, 1, job.transcript)
        for (epoch, (one, two)) in zip(expected, measured).enumerated() {
            for (name, a, b) in [("train", one.train, two.train), ("validation", one.validation, two.validation)] {
                XCTAssertEqual(b, a, accuracy: 1e-5 * abs(a), "epoch \(epoch + 1) \(name) loss: 1 process \(a), 2 ranks \(b)")
            }
        }
    }

    /// A rank killed (SIGKILL) mid-training: rank 0 stops with a message naming the failed step, within the bound
    /// (HARLAB_DIST_TIMEOUT, 10 s here; the closed connection is seen at once), exits 1, and its run is recorded as
    /// failed with the epochs that finished, which rank 0 says it kept, and the lost rank named — never a hang.
    func testAKilledRankStopsTheOthersWithinTheBound() throws {
        let job = try RankProcesses(worldSizes: [2, 2], timeout: 10, arguments: ["--json"]) { _ in
            "\(Self.load); model sa width=2 depth=1; set batch 32; train 500"
        }
        try job.waitForOutput(of: 0, containing: "train_loss")
        kill(job.ranks[1].process.processIdentifier, SIGKILL)
        let killed = Date()
        try ProcessDeadline.wait(for: job.ranks[0].process, seconds: 60, "rank 0 after rank 1 was killed")
        let seconds = Date().timeIntervalSince(killed)
        XCTAssertLessThan(seconds, 10 + 10, "the bound is HARLAB_DIST_TIMEOUT (10 s) plus the time to record and exit")
        XCTAssertEqual(job.ranks[0].status, 1, job.transcript)
        XCTAssertTrue(job.ranks[0].errors.contains("failed (a rank stopped, or did not answer within 10 s"), job.transcript)
        let runs = try RunStore(url: job.store).runs()
        XCTAssertEqual(runs.map(\.status), [.failed], job.transcript)
        XCTAssertGreaterThanOrEqual(runs.first?.epochCount ?? 0, 1, "the epochs before the failure are kept")
        XCTAssertTrue(job.ranks[0].errors.contains("kept the weights after epoch \(runs.first?.epochCount ?? 0) of 500"),
                      "rank 0 keeps the finished epochs and says so — " + job.transcript)
        XCTAssertTrue(job.ranks[0].errors.contains("rank 1 gave no sign of life for 3 s after the failure"), "the lost rank is named — " + job.transcript)
        XCTAssertTrue(runs.first?.message?.contains("rank 1 gave no sign of life") == true, "and recorded — \(runs.first?.message ?? "")")
    }

    /// Ctrl-C (SIGINT) on one rank only: the stop travels in the next step's all-reduce, so both ranks end the
    /// epoch there; rank 0 says so and records the run as cancelled, rank 1 exits 130 as an interrupted `har` does.
    func testCtrlCOnOneRankStopsEveryRankAtTheSameStep() throws {
        let job = try RankProcesses(worldSizes: [2, 2], timeout: 10) { _ in
            "\(Self.load); model sa width=2 depth=1; set batch 32; train 500"
        }
        try job.waitForOutput(of: 0, containing: "    1 ")
        kill(job.ranks[1].process.processIdentifier, SIGINT)
        try job.wait(seconds: 60)
        XCTAssertEqual(job.ranks.map(\.status), [0, 130], job.transcript)
        XCTAssertTrue(job.ranks[0].output.contains("by Ctrl-C; the model keeps its weights"), job.transcript)
        XCTAssertEqual(try RunStore(url: job.store).runs().map(\.status), [.cancelled], job.transcript)
    }

    /// Rank 1 alone: nobody hosts the store, so it gives up after HARLAB_DIST_TIMEOUT (2 s) and says where it looked.
    func testAMasterNobodyHostsIsNamedAfterTheTimeout() throws {
        let started = Date()
        let job = try RankProcesses(worldSizes: [2], rankNumbers: [1], timeout: 2) { _ in Self.load }
        try job.wait(seconds: 60)
        XCTAssertEqual(job.ranks[0].status, 1, job.transcript)
        XCTAssertTrue(job.ranks[0].errors.contains("rank 1 could not reach the job's store at 127.0.0.1:\(job.port) within 2 s"), job.transcript)
        XCTAssertLessThan(Date().timeIntervalSince(started), 30)
    }

    func testAPortInUseIsNamed() throws {
        let held = try LoopbackPort.held()
        let job = try RankProcesses(worldSizes: [2], port: held.number) { _ in Self.load }
        try job.wait(seconds: 60)
        XCTAssertEqual(job.ranks[0].status, 1, job.transcript)
        XCTAssertTrue(job.ranks[0].errors.contains("rank 0 cannot host the job's store on port \(held.number): the port is in use"), job.transcript)
    }

    /// RANK outside WORLD_SIZE fails before any connection; ranks that disagree on WORLD_SIZE both fail, naming it.
    func testWrongRankOrWorldSizeIsNamed() throws {
        let outside = try RankProcesses(worldSizes: [2], rankNumbers: [2]) { _ in Self.load }
        try outside.wait(seconds: 60)
        XCTAssertEqual(outside.ranks[0].status, 1, outside.transcript)
        XCTAssertTrue(outside.ranks[0].errors.contains("RANK=2 is not below WORLD_SIZE=2"), outside.transcript)

        let disagreeing = try RankProcesses(worldSizes: [2, 3], timeout: 10) { _ in Self.load }
        try disagreeing.wait(seconds: 60)
        XCTAssertEqual(disagreeing.ranks.map(\.status), [1, 1], disagreeing.transcript)
        for rank in disagreeing.ranks {
            XCTAssertTrue(rank.errors.contains("rank 1's WORLD_SIZE does not match rank 0's: rank 0 has 2, rank 1 has 3"), disagreeing.transcript)
        }
    }

    /// Ranks that loaded different data (another seed) refuse to train together, each naming the difference; the
    /// run rank 0 began is recorded as failed.
    func testRanksWithDifferentDatasetsRefuseToTrainTogether() throws {
        let job = try RankProcesses(worldSizes: [2, 2], timeout: 10) { rank in
            "load synthetic window=32 overlap=0 seed=\(rank + 1); model sa width=2 depth=1; train 1"
        }
        try job.wait(seconds: 120)
        XCTAssertEqual(job.ranks.map(\.status), [1, 1], job.transcript)
        for rank in job.ranks {
            XCTAssertTrue(rank.errors.contains("the ranks of the job disagree: rank 1's dataset does not match rank 0's"), job.transcript)
        }
        XCTAssertEqual(try RunStore(url: job.store).runs().map(\.status), [.failed], job.transcript)
    }

    /// The train and validation losses of each epoch line of a `--json` output.
    static func epochLosses(_ output: String) throws -> [(train: Double, validation: Double)] {
        try output.split(separator: "\n").compactMap { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let train = object["train_loss"] as? Double, let validation = object["val_loss"] as? Double else { return nil }
            return (train, validation)
        }
    }
}

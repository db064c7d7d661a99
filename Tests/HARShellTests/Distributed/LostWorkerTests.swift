import Foundation
import HARKit
import TestSupport
import Torch
import XCTest

/// A worker lost (SIGKILL) while a session with workers trains or tunes, with real processes on loopback: the command
/// fails within the bound naming the worker, the session keeps what finished and stays usable — never a hang.
///
/// Each test starts a session with workers and trains for some seconds (about 20–60 s per test on a busy 2-core
/// machine, debug build).
final class LostWorkerTests: IsolatedTestCase {
    /// `set threads 1` on every rank (float sums depend on the thread count) and no learning-rate schedule, so that
    /// the first K epochs of a long `train` are exactly a `train K` with the same seed.
    private static let recipe = "load synthetic window=32 overlap=0; model sa width=2 depth=1; set batch 32; set seed 5; set amp off; "
        + "set threads 1; set schedule none"

    /// A worker killed after epoch 2 of a 2-rank `train 200`: the train fails within HARLAB_DIST_TIMEOUT (5 s) plus
    /// the time to record, naming the worker and the signal and saying which weights it kept; the session keeps
    /// the K finished epochs — its weights and optimizer state bit for bit those of a 2-rank `train K` with the same
    /// seed (checksums of both saved checkpoints), its run and the store's with K epochs, the store's run failed
    /// with the cause and the worker — is recorded (`record`) as `train K`, stops its workers (`status` says why), and a
    /// following `train 1 continue` goes on alone with the run and its schedule from epoch K.
    func testATrainThatLosesAWorkerKeepsTheWeightsOfItsLastFinishedEpoch() throws {
        let session = try SessionProcess(environment: ["HARLAB_DIST_TIMEOUT": "5"])
        let recording = temporaryFolder().appendingPathComponent("session.har")
        session.send("set workers 2", "status", Self.recipe, "record \(recording.path)", "train 200")
        try Self.waitForEpoch(2, of: session)
        let pid = try XCTUnwrap(session.workerPIDs.first, session.transcript)
        kill(pid, SIGKILL)
        let killed = Date()
        try session.waitFor("was killed by signal 9", inErrors: true, seconds: 60)
        XCTAssertLessThan(Date().timeIntervalSince(killed), 5 + 5, "the bound is HARLAB_DIST_TIMEOUT plus the time to record")
        try session.waitFor("kept_epochs", seconds: 10)

        let failure = try XCTUnwrap(session.results(of: "train").last { $0["ok"] as? Bool == false }, session.transcript)
        let kept = try XCTUnwrap(failure["kept_epochs"] as? Int, "\(failure)")
        XCTAssertGreaterThanOrEqual(kept, 2, "killed after epoch 2 — " + session.transcript)
        XCTAssertEqual(failure["kept_epoch"] as? Int, kept)
        XCTAssertEqual(failure["run"] as? Int, 1)
        XCTAssertEqual(session.results(of: "train").compactMap { $0["epoch"] as? Int }, Array(1...kept), "every kept epoch was said, no other")
        let message = failure["error"] as? String ?? ""
        XCTAssertTrue(message.contains("kept the weights after epoch \(kept) of 200"), message)
        XCTAssertTrue(message.contains("worker 1 (process \(pid) on this machine) was killed by signal 9"), message)
        XCTAssertTrue(message.contains("rank 1 gave no sign of life for 3 s after the failure"), message)
        XCTAssertTrue(message.contains("the workers are stopped — `set workers 2` starts them again"), message)
        let recorded = try RunStore(url: session.store).runs()
        XCTAssertEqual(recorded.map(\.status), [.failed], session.transcript)
        XCTAssertEqual(recorded.map(\.epochCount), [kept], "the store keeps the finished epochs")
        XCTAssertTrue(recorded.first?.message?.contains("kept the weights after epoch \(kept) of 200") == true, "\(recorded.first?.message ?? "")")
        XCTAssertTrue(recorded.first?.message?.contains("worker 1 (process \(pid) on this machine) was killed by signal 9") == true,
                      "the store names the lost worker — \(recorded.first?.message ?? "")")

        let replayed = try String(contentsOf: recording, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(replayed.last, "train \(kept)", "a replay trains the kept epochs — \(replayed)")
        XCTAssertFalse(replayed.contains("train 200"), "\(replayed)")

        let afterFault = temporaryFolder().appendingPathComponent("after-fault.ckpt")
        session.send("status", "save model \(afterFault.path)", "train 1 continue")
        try session.close()
        XCTAssertEqual(try session.wait(), 1, "the train failed — " + session.transcript)
        let status = try XCTUnwrap(session.results(of: "status").last, session.transcript)
        XCTAssertEqual(status["workers"] as? Int, 1)
        XCTAssertTrue((status["workers_stopped"] as? String)?.contains("was killed by signal 9") == true, "\(status)")
        XCTAssertEqual(session.results(of: "train").last?["stopped"] as? String, "completed", "the next train works — " + session.transcript)
        XCTAssertEqual(session.results(of: "train").compactMap { $0["epoch"] as? Int }.last, kept + 1, "it continues the kept epochs")
        XCTAssertTrue(session.errors.contains("continuing the learning-rate schedule after its epoch \(kept)"),
                      "the schedule goes on from the kept epoch — " + session.transcript)
        let continued = try RunStore(url: session.store).runs()
        XCTAssertEqual(continued.map(\.epochCount), [kept + 1], "one run: the kept epochs and the next — " + session.transcript)
        XCTAssertEqual(continued.map(\.status), [.finished])

        let reference = temporaryFolder().appendingPathComponent("reference.ckpt")
        let uninterrupted = try HarBinary.run(["--no-rc", "--quiet", "-c", "set workers 2; \(Self.recipe); train \(kept); save model \(reference.path)"],
                                              environment: ["HARLAB_DIST_TIMEOUT": "20"])
        XCTAssertEqual(uninterrupted.status, 0, uninterrupted.stderr)
        let mine = try Checkpoint(contentsOf: afterFault), theirs = try Checkpoint(contentsOf: reference)
        XCTAssertEqual(try Tensor.checksum(of: mine.weights.entries.map(\.tensor)), try Tensor.checksum(of: theirs.weights.entries.map(\.tensor)),
                       "the kept weights are those after epoch \(kept) of a 2-rank train \(kept)")
        XCTAssertEqual(try Tensor.checksum(of: mine.optimizerState.entries.map(\.tensor)),
                       try Tensor.checksum(of: theirs.optimizerState.entries.map(\.tensor)), "and so is the optimizer's state")
        XCTAssertEqual(mine.metadata.history.count, kept)
    }

    /// A worker killed while a 3-rank `tune` farms its trials out: the tune fails within HARLAB_DIST_TIMEOUT (5 s,
    /// for the worker's heartbeat to stand still) plus a poll and the recording, naming the worker; the other
    /// worker ends too (the session stops every worker), the store's search is failed, and the session — its model
    /// as before the tune — trains again.
    func testATuneThatLosesAWorkerStopsEveryRankWithinTheBound() throws {
        let session = try SessionProcess(environment: ["HARLAB_DIST_TIMEOUT": "5"])
        session.send("set workers 3", "status", Self.recipe, "tune lr=1e-3..3e-2:log trials=3 epochs=500")
        let end = Date().addingTimeInterval(120)
        while (try? RunStore(url: session.store).runs().contains { $0.kind == .trial }) != true {
            guard Date() < end, session.process.isRunning else { throw RankWaitFailure(description: "the tune never began:\n" + session.transcript) }
            Thread.sleep(forTimeInterval: 0.2)
        }
        Thread.sleep(forTimeInterval: 2)
        let pids = session.workerPIDs
        XCTAssertEqual(pids.count, 2, session.transcript)
        kill(pids[0], SIGKILL)
        let killed = Date()
        try session.waitFor("was killed by signal 9", inErrors: true, seconds: 60)
        XCTAssertLessThan(Date().timeIntervalSince(killed), 5 + 10, "the bound is HARLAB_DIST_TIMEOUT (5 s) plus a poll and recording")
        try session.waitFor("\"command\":\"tune\"", seconds: 10)
        XCTAssertEqual(SessionProcess.running([pids[1]], after: 5), [], "the other worker stops too")
        let failure = try XCTUnwrap(session.results(of: "tune").last, session.transcript)
        XCTAssertEqual(failure["ok"] as? Bool, false)
        XCTAssertTrue((failure["error"] as? String)?.contains("worker 1 (process \(pids[0]) on this machine) was killed by signal 9") == true,
                      "\(failure)")
        XCTAssertEqual(try RunStore(url: session.store).runs().filter { $0.kind == .tune }.map(\.status), [.failed], session.transcript)
        session.send("status", "train 1")
        try session.close()
        XCTAssertEqual(try session.wait(), 1, "the tune failed — " + session.transcript)
        XCTAssertEqual(session.results(of: "status").last?["workers"] as? Int, 1, session.transcript)
        XCTAssertEqual(session.results(of: "train").last?["stopped"] as? String, "completed", "the session trains again — " + session.transcript)
    }

    /// The same in a 2-rank job launched by its environment: rank 1 killed while both ranks train trials, rank 0 stops
    /// within HARLAB_DIST_TIMEOUT (5 s) plus a poll and the recording, naming the silent rank, exits 1 and records
    /// the search as failed.
    func testATuneOnTwoRanksThatLosesOneStopsTheOtherWithinTheBound() throws {
        let job = try RankProcesses(worldSizes: [2, 2], timeout: 5) { _ in "\(Self.recipe); tune lr=1e-3..3e-2:log trials=2 epochs=500" }
        let end = Date().addingTimeInterval(120)
        while (try? RunStore(url: job.store).runs().filter { $0.kind == .trial }.count == 2) != true {
            guard Date() < end, job.ranks.allSatisfy(\.process.isRunning) else { throw RankWaitFailure(description: "the tune never began:\n" + job.transcript) }
            Thread.sleep(forTimeInterval: 0.2)
        }
        Thread.sleep(forTimeInterval: 2)
        kill(job.ranks[1].process.processIdentifier, SIGKILL)
        let killed = Date()
        try ProcessDeadline.wait(for: job.ranks[0].process, seconds: 60, "rank 0 after rank 1 was killed")
        XCTAssertLessThan(Date().timeIntervalSince(killed), 5 + 10, "the bound is HARLAB_DIST_TIMEOUT (5 s) plus a poll, recording and exit")
        XCTAssertEqual(job.ranks[0].status, 1, job.transcript)
        XCTAssertTrue(job.ranks[0].errors.contains("rank 1 gave no sign of life for 5 s"), job.transcript)
        XCTAssertEqual(try RunStore(url: job.store).runs().filter { $0.kind == .tune }.map(\.status), [.failed], job.transcript)
    }

    /// Waits until the session has said epoch `epoch` of its train.
    private static func waitForEpoch(_ epoch: Int, of session: SessionProcess) throws {
        let end = Date().addingTimeInterval(120)
        while !session.results(of: "train").contains(where: { ($0["epoch"] as? Int ?? 0) >= epoch }) {
            guard Date() < end, session.process.isRunning else {
                throw RankWaitFailure(description: "the session did not finish epoch \(epoch):\n" + session.transcript)
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }
}

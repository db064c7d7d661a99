import Foundation
import HARKit
import TestSupport
import XCTest

/// `cv` and `tune` in a job of real `har` processes on loopback: each fold or trial trains whole on one rank, every
/// result reaches rank 0, which alone prints and records. Real processes, not rank threads: each fold and trial seeds
/// libtorch's one global generator, which rank threads of one process would share and interleave. `set threads 1`
/// everywhere: a fold's float arithmetic depends on libtorch's thread count.
///
/// Each test starts a single `har` and a job of two (a few seconds each in a debug build; about 20–60 s per test on
/// a busy 2-core machine).
final class DistributedFarmTests: IsolatedTestCase {
    private static let setUp = "load synthetic window=32 overlap=0; model sa width=2 depth=1; set threads 1; set batch 256; set seed 5"

    /// 3 folds on 2 ranks give every fold's accuracy, macro F1 and final training loss of one process, bit for bit;
    /// both ranks trained folds (each fold says which), rank 0 alone printed, and its store holds the cross-validation
    /// and its 3 folds once, as one process's does.
    func testCrossValidationOnTwoRanksGivesTheFoldsOfOneProcess() throws {
        let script = "\(Self.setUp); cv folds=3 epochs=1"
        let (alone, home, job) = try aloneAndOnTwoRanks(script)
        let expected = try Self.folds(alone.stdout), measured = try Self.folds(job.ranks[0].output)
        XCTAssertEqual(expected.count, 3, alone.stdout)
        XCTAssertEqual(measured.map(\.fold), expected.map(\.fold), job.transcript)
        for (one, two) in zip(expected, measured) {
            XCTAssertEqual(two.accuracy, one.accuracy, "fold \(one.fold) accuracy — " + job.transcript)
            XCTAssertEqual(two.f1, one.f1, "fold \(one.fold) macro F1 — " + job.transcript)
            XCTAssertNil(one.rank)
        }
        XCTAssertEqual(Set(measured.compactMap(\.rank)), [0, 1], "both ranks trained folds — " + job.transcript)
        XCTAssertEqual(job.ranks[1].output, "", "only rank 0 prints — " + job.transcript)
        let single = try RunStore(url: home.appendingPathComponent("runs.sqlite")).runs(), shared = try RunStore(url: job.store).runs()
        XCTAssertEqual(shared.map(\.kind), single.map(\.kind), job.transcript)
        XCTAssertEqual(shared.filter { $0.kind == .fold }.map(\.label), single.filter { $0.kind == .fold }.map(\.label))
        XCTAssertEqual(shared.filter { $0.kind == .fold }.map(\.epochCount), [1, 1, 1])
        XCTAssertEqual(shared.filter { $0.kind == .fold }.map(\.accuracy), single.filter { $0.kind == .fold }.map(\.accuracy))
        // The training loss, a float every step of the fold moves: one process's exactly (not only near-chance accuracies).
        XCTAssertEqual(shared.filter { $0.kind == .fold }.map(\.finalTrainLoss), single.filter { $0.kind == .fold }.map(\.finalTrainLoss))
        XCTAssertEqual(shared.filter { $0.kind == .fold }.map(\.status), [.finished, .finished, .finished])
    }

    /// Folds that diverge (lr 1e30) on 2 ranks are reported as in one process: each fold's run failed with the
    /// divergence message naming its epoch and batch, the folds still tested (with the last good weights) and listed
    /// with one process's scores, and the command succeeds.
    func testDivergingFoldsOnTwoRanksAreReportedAsInOneProcess() throws {
        let script = "\(Self.setUp); set optimizer sgd; set lr 1e30; cv folds=2 epochs=2"
        let (alone, home, job) = try aloneAndOnTwoRanks(script)
        let single = try RunStore(url: home.appendingPathComponent("runs.sqlite")).runs().filter { $0.kind == .fold }.sorted { $0.id < $1.id }
        let shared = try RunStore(url: job.store).runs().filter { $0.kind == .fold }.sorted { $0.id < $1.id }
        XCTAssertEqual(shared.map(\.status), [.failed, .failed], job.transcript)
        XCTAssertEqual(shared.map(\.status), single.map(\.status))
        XCTAssertEqual(shared.map(\.message), single.map(\.message))
        XCTAssertTrue(shared.allSatisfy { $0.message?.hasPrefix("diverged: the loss became nan at epoch 1") == true }, "\(shared.map(\.message))")
        XCTAssertEqual(try Self.folds(job.ranks[0].output).map(\.accuracy), try Self.folds(alone.stdout).map(\.accuracy))
    }

    /// `tune` with successive halving on 2 ranks (4 trials, rungs at 2 and 6 epochs: the best 2 go on) makes the
    /// choices of one process with the same seed: rank 0's store — the only one written, though both ranks were
    /// pointed at it — holds the search and each trial once, each trial with one process's epochs, outcome, pruning
    /// message and final loss, and the same best trial, tested with the same accuracy.
    func testTuneOnTwoRanksRecordsEveryTrialOnceAndPrunesAsOneProcess() throws {
        let script = "\(Self.setUp); tune lr=1e-3..3e-2:log trials=4 epochs=6"
        let (alone, home, job) = try aloneAndOnTwoRanks(script)
        XCTAssertEqual(job.ranks[1].output, "", "only rank 0 prints — " + job.transcript)
        let single = try RunStore(url: home.appendingPathComponent("runs.sqlite")).runs().sorted { $0.id < $1.id }
        let shared = try RunStore(url: job.store).runs().sorted { $0.id < $1.id }
        XCTAssertEqual(shared.map(\.kind), [.tune] + Array(repeating: .trial, count: 4), job.transcript)
        XCTAssertEqual(shared.map(\.kind), single.map(\.kind))
        for (one, two) in zip(single, shared) {
            XCTAssertEqual(two.label, one.label, job.transcript)
            XCTAssertEqual(two.status, one.status, "\(one.label ?? "") — " + job.transcript)
            XCTAssertEqual(two.message, one.message, "\(one.label ?? "")")
            XCTAssertEqual(two.epochCount, one.epochCount, "\(one.label ?? "")")
            XCTAssertEqual(two.finalTrainLoss, one.finalTrainLoss, "\(one.label ?? "")")
            XCTAssertEqual(two.accuracy, one.accuracy, "\(one.label ?? "")")
        }
        XCTAssertEqual(shared.filter { $0.status == .stoppedEarly }.count, 2, "successive halving pruned 2 of 4 — " + job.transcript)
        let best = try Self.result("tune", in: alone.stdout), bestOnRanks = try Self.result("tune", in: job.ranks[0].output)
        XCTAssertEqual((bestOnRanks?["best"] as? [String: Any])?["trial"] as? Int, (best?["best"] as? [String: Any])?["trial"] as? Int)
        XCTAssertEqual(bestOnRanks?["test_accuracy"] as? Double, best?["test_accuracy"] as? Double)
    }

    /// A rank killed (SIGKILL) while both train folds: rank 0, training its own fold, stops within the bound
    /// (HARLAB_DIST_TIMEOUT, 5 s here, for the heartbeat to stand still, plus a poll and the exit) with a message
    /// naming the silent rank, exits 1, and records the cross-validation as failed — never a hang.
    func testAKilledRankStopsTheCrossValidationWithinTheBound() throws {
        let (job, seconds) = try Self.crossValidation(killing: 1, watching: 0)
        XCTAssertLessThan(seconds, 5 + 10, "the bound is HARLAB_DIST_TIMEOUT (5 s) plus a poll, recording and exit")
        XCTAssertEqual(job.ranks[0].status, 1, job.transcript)
        XCTAssertTrue(job.ranks[0].errors.contains("rank 1 gave no sign of life for 5 s"), job.transcript)
        XCTAssertEqual(try RunStore(url: job.store).runs().filter { $0.kind == .cv }.map(\.status), [.failed], job.transcript)
    }

    /// After `tune` on 2 ranks every rank continues with the best trial's trainer: a data-parallel `train` then
    /// passes the rendezvous (both ranks hold the best trial's settings) and the weight comparison after its epoch
    /// (both ranks hold its optimizer state too: the trial lives on one rank, whose checkpoint reached the other).
    func testAfterTuneEveryRankContinuesWithTheBestTrial() throws {
        let job = try RankProcesses(worldSizes: [2, 2]) { _ in "\(Self.setUp); tune lr=1e-3..3e-2:log trials=2 epochs=2; train 1" }
        try job.wait()
        XCTAssertEqual(job.ranks.map(\.status), [0, 0], job.transcript)
        XCTAssertTrue(job.ranks[0].output.contains("best: trial "), job.transcript)
        XCTAssertTrue(job.ranks[0].output.contains("1 epoch in"), job.transcript)
    }

    /// Rank 0 (the store's host) killed while both train folds: rank 1 sees the store gone at its next poll, stops
    /// with a message saying so and exits 1 within the bound.
    func testAKilledRankZeroStopsTheOthersWithinTheBound() throws {
        let (job, seconds) = try Self.crossValidation(killing: 0, watching: 1)
        XCTAssertLessThan(seconds, 5 + 10, "the bound is HARLAB_DIST_TIMEOUT (5 s) plus a poll and exit")
        XCTAssertEqual(job.ranks[1].status, 1, job.transcript)
        XCTAssertTrue(job.ranks[1].errors.contains("rank 1:"), job.transcript)
        XCTAssertTrue(job.ranks[1].errors.contains("(rank 0, its host, stopped?)") || job.ranks[1].errors.contains("rank 0 died?"),
                      job.transcript)
    }

    /// Ctrl-C (SIGINT) on rank 1 only while both train folds: its fold stops, it asks the others to stop through the
    /// store, rank 0's fold stops at its next poll; rank 0 reports the cross-validation as interrupted and records it
    /// as cancelled (with the folds that began, cancelled), rank 1 exits 130 as an interrupted `har` does.
    func testCtrlCOnOneRankStopsEveryRanksFold() throws {
        let job = try RankProcesses(worldSizes: [2, 2], timeout: 10, arguments: ["--json"]) { _ in "\(Self.setUp); cv folds=3 epochs=500" }
        try Self.waitForTheCrossValidation(of: job)
        kill(job.ranks[1].process.processIdentifier, SIGINT)
        try job.wait(seconds: 60)
        XCTAssertEqual(job.ranks.map(\.status), [0, 130], job.transcript)
        XCTAssertEqual(try Self.result("cv", in: job.ranks[0].output)?["stopped"] as? String, "interrupted", job.transcript)
        let runs = try RunStore(url: job.store).runs()
        XCTAssertEqual(runs.filter { $0.kind == .cv }.map(\.status), [.cancelled], job.transcript)
        XCTAssertEqual(runs.filter { $0.kind == .fold }.map(\.status), [.cancelled, .cancelled], "the two folds that began — " + job.transcript)
    }

    /// `script` run by one `har` process (in a folder of its own, also its HOME, holding its run store) and by a job of
    /// 2 ranks, both with `--json`; each has been checked to exit 0.
    private func aloneAndOnTwoRanks(_ script: String) throws -> (alone: HarBinary.Run, home: URL, job: RankProcesses) {
        let home = temporaryFolder()
        let alone = try HarBinary.run(["--no-rc", "--quiet", "--json", "-c", script], home: home)
        XCTAssertEqual(alone.status, 0, alone.stderr)
        let job = try RankProcesses(worldSizes: [2, 2], arguments: ["--json"]) { _ in script }
        try job.wait()
        XCTAssertEqual(job.ranks.map(\.status), [0, 0], job.transcript)
        return (alone, home, job)
    }

    /// A 2-rank job of long folds (HARLAB_DIST_TIMEOUT 5 s) in which rank `victim` is killed (SIGKILL) once the folds
    /// train; returns the job after rank `survivor` has exited, with the seconds that took from the kill.
    private static func crossValidation(killing victim: Int, watching survivor: Int) throws -> (job: RankProcesses, seconds: TimeInterval) {
        let job = try RankProcesses(worldSizes: [2, 2], timeout: 5) { _ in "\(Self.setUp); cv folds=3 epochs=500" }
        try waitForTheCrossValidation(of: job)
        kill(job.ranks[victim].process.processIdentifier, SIGKILL)
        let killed = Date()
        try ProcessDeadline.wait(for: job.ranks[survivor].process, seconds: 60, "rank \(survivor) after rank \(victim) was killed")
        return (job, Date().timeIntervalSince(killed))
    }

    /// Waits until rank 0 has recorded the cv run (the folds begin right after), then 2 s more.
    private static func waitForTheCrossValidation(of job: RankProcesses) throws {
        let end = Date().addingTimeInterval(120)
        while (try? RunStore(url: job.store).runs().contains { $0.kind == .cv }) != true {
            guard Date() < end, job.ranks.allSatisfy(\.process.isRunning) else { throw RankWaitFailure(description: "the cv never began:\n" + job.transcript) }
            Thread.sleep(forTimeInterval: 0.2)
        }
        Thread.sleep(forTimeInterval: 2)
    }

    /// The result object of `command` in a `--json` output.
    private static func result(_ command: String, in output: String) throws -> [String: Any]? {
        output.split(separator: "\n").lazy.compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }.first { $0["command"] as? String == command }
    }

    /// One fold of a `--json` cv: its number, accuracy, macro F1 and the rank that trained it.
    private struct Fold {
        var fold: Int
        var accuracy: Double
        var f1: Double
        var rank: Int?
    }

    /// The `per_fold` rows of the `cv` result in a `--json` output.
    private static func folds(_ output: String) throws -> [Fold] {
        for line in output.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  object["command"] as? String == "cv", let rows = object["per_fold"] as? [[String: Any]] else { continue }
            return rows.map { Fold(fold: $0["fold"] as? Int ?? -1, accuracy: $0["accuracy"] as? Double ?? .nan,
                                   f1: $0["f1_macro"] as? Double ?? .nan, rank: $0["rank"] as? Int) }
        }
        return []
    }
}

import Foundation
import Torch
import XCTest
@testable import HARKit
import TestSupport

/// Faults while saving: `kill -9` during checkpoint writes and run-store writes (this test binary started
/// again as the writer), a full disk (a file-size limit) and a read-only path.
///
/// 3 kills of each kind by default; `HARLAB_STRESS=1` runs 50 of each.
final class PersistenceFaultTests: IsolatedTestCase {
    static let targetVariable = "HARLAB_TEST_FAULT_TARGET"
    static let shape = InputShape(time: 20, channels: 5, classes: 3)
    static let dataset = CheckpointDataset(name: "tiny", classNames: ["walk", "sit", "lie"], channelNames: ["a_x", "a_y", "a_z", "g_x", "g_y"],
                                           sampleRate: 50, windowLength: 20, preprocessing: samplePreprocessing)

    /// A checkpoint of a small model whose config seed marks which save it is.
    static func checkpoint(marker: UInt64) throws -> Checkpoint {
        Runtime.manualSeed(marker)
        let model = try ModelFactory.make(try ModelSpec("sa", options: ["width": "16", "depth": "3"]), input: shape)
        var config = TrainingConfig()
        config.seed = marker
        return try Checkpoint(model: model, optimizer: nil, config: config, dataset: dataset, history: [sampleEpoch(1)])
    }

    // MARK: kill -9

    /// The test proves its own premise: it counts the kills that landed inside a save (the killed save's temporary
    /// file is left) and the trials in which a save had completed before the kill (a marker other than 0 is read
    /// back), and goes on (up to 40 trials; about one kill in four lands inside a save) until it has seen at least one of each; it fails if it never did.
    /// Shown to fail: with the writer's save loop replaced by a sleep, no temporary file is ever left and the test
    /// says the kill never landed inside a save (the old test passed: `seed < 1_000_000` holds for any seed).
    func testKillDuringCheckpointSaveLeavesTheOldOrTheNewCheckpoint() throws {
        let trials = StressCount.value(quick: 3, full: 50)
        var random = SeededGenerator(seed: 11, stream: 3)
        var markers: [UInt64] = []
        var killedInsideASave = 0, trial = 0
        while trial < trials || (trial < max(trials, 40) && (killedInsideASave == 0 || !markers.contains { $0 != 0 })) {
            trial += 1
            let folder = try makeTemporaryFolder(self)
            let url = folder.appendingPathComponent("model.ckpt")
            try Self.checkpoint(marker: 0).write(to: url)
            try killWriter("testCheckpointWriterProcess", target: url, afterMilliseconds: Int(random.next() % 150), in: folder)
            let loaded = try Checkpoint(contentsOf: url)
            XCTAssertTrue((0...4).contains(loaded.metadata.config.seed), "marker \(loaded.metadata.config.seed): the test's (0) or one the writer wrote (1-4)")
            markers.append(loaded.metadata.config.seed)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".tmp-") }
            XCTAssertLessThanOrEqual(leftovers.count, 1, "at most the killed save's temporary file remains")
            killedInsideASave += leftovers.count
            try Self.checkpoint(marker: 9).write(to: url)
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".tmp-") }, [],
                           "the next save removes the killed save's temporary file")
        }
        XCTAssertGreaterThan(killedInsideASave, 0, "in \(trial) trials no kill landed inside a save (no temporary file was left): the test did not test a kill mid-write")
        XCTAssertTrue(markers.contains { $0 != 0 }, "in \(trial) trials no save completed before the kill (every file still held marker 0)")
        print("checkpoint kills: \(trial), every file loaded; saves completed before the kill: \(markers); kills inside a save (temporary file left, removed by the next save): \(killedInsideASave)")
    }

    /// The writer side of the checkpoint kill test: saves checkpoint 1, 2, 3, … over the target until killed.
    func testCheckpointWriterProcess() throws {
        let path = try ChildTestProcess.entryPoint(Self.targetVariable, startedBy: "testKillDuringCheckpointSaveLeavesTheOldOrTheNewCheckpoint")
        let url = URL(fileURLWithPath: path)
        let checkpoints = try (1...4).map { try Self.checkpoint(marker: UInt64($0)) }
        XCTAssertTrue(FileManager.default.createFile(atPath: url.deletingLastPathComponent().appendingPathComponent("ready").path, contents: nil), "could not create a file")
        for round in 0..<100_000 { try checkpoints[round % checkpoints.count].write(to: url) }
    }

    /// The test proves its own premise: the writer logs each run before it begins recording it (`started.log`) and
    /// after it is committed (`committed.log`); a run started but not committed means the kill landed while a run was
    /// being written. The test goes on (up to 20 trials) until it has seen such a kill and at least one committed
    /// run, and fails if it never did. Shown to fail: with the writer sleeping instead of recording, it says so
    /// (the old test passed with no committed run at all, its loop over committed runs being empty).
    func testKillDuringRunStoreWritesKeepsEveryCommittedRun() throws {
        let trials = StressCount.value(quick: 3, full: 50)
        var random = SeededGenerator(seed: 12, stream: 3)
        var committed = 0, killedInsideARun = 0, trial = 0
        func lines(_ name: String, in folder: URL) -> [String] {
            ((try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
        while trial < trials || (trial < max(trials, 20) && (killedInsideARun == 0 || committed == 0)) {
            trial += 1
            let folder = try makeTemporaryFolder(self)
            let url = folder.appendingPathComponent("runs.sqlite")
            try killWriter("testRunStoreWriterProcess", target: url, afterMilliseconds: Int(random.next() % 150), in: folder)
            let store = try RunStore(url: url)
            let runs = try store.runs()
            let labels = lines("committed.log", in: folder)
            committed += labels.count
            for label in labels {
                let run = runs.first { $0.label == label }
                XCTAssertEqual(run?.status, .finished, "committed run \(label) is there and finished")
                XCTAssertEqual(run?.epochCount, 3, "committed run \(label) has every epoch")
            }
            let inFlight = lines("started.log", in: folder).filter { !labels.contains($0) }
            XCTAssertLessThanOrEqual(inFlight.count, 1, "one run at a time is in flight")
            killedInsideARun += inFlight.count
            for label in inFlight {
                if let run = runs.first(where: { $0.label == label }), run.status == .finished {
                    XCTAssertEqual(run.epochCount, 3, "the run in flight at the kill is finished only with every epoch")
                }
            }
        }
        XCTAssertGreaterThan(killedInsideARun, 0, "in \(trial) trials no kill landed while a run was being written: the test did not test a kill mid-write")
        XCTAssertGreaterThan(committed, 0, "in \(trial) trials no run was committed before the kill: nothing was checked")
        print("run store kills: \(trial) (\(killedInsideARun) while a run was being written), \(committed) committed runs, every one intact after the kill")
    }

    /// The writer side of the run-store kill test: records runs until killed, logging each one after it is committed.
    func testRunStoreWriterProcess() throws {
        let path = try ChildTestProcess.entryPoint(Self.targetVariable, startedBy: "testKillDuringRunStoreWritesKeepsEveryCommittedRun")
        let store = try RunStore(url: URL(fileURLWithPath: path))
        let folder = store.url.deletingLastPathComponent()
        let log = try FileHandle(forWritingTo: {
            let url = folder.appendingPathComponent("committed.log")
            XCTAssertTrue(FileManager.default.createFile(atPath: url.path, contents: nil), "could not create a file")
            return url
        }())
        let started = try FileHandle(forWritingTo: {
            let url = folder.appendingPathComponent("started.log")
            XCTAssertTrue(FileManager.default.createFile(atPath: url.path, contents: nil), "could not create a file")
            return url
        }())
        XCTAssertTrue(FileManager.default.createFile(atPath: folder.appendingPathComponent("ready").path, contents: nil), "could not create a file")
        for index in 0..<100_000 {
            started.write(Data("run \(index)\n".utf8))
            let id = try store.begin(RunStart(dataset: "synthetic", model: "sa", config: TrainingConfig(), label: "run \(index)"))
            for epoch in 1...3 { try store.append(sampleEpoch(epoch), to: id) }
            try store.finish(id, RunEnd(status: .finished, trainSeconds: 1))
            log.write(Data("run \(index)\n".utf8))
        }
    }

    /// Starts this test binary running `test` against `target`, waits until it is writing, lets it run
    /// `milliseconds` more, and kills it with SIGKILL.
    private func killWriter(_ test: String, target: URL, afterMilliseconds milliseconds: Int, in folder: URL) throws {
        let process = try ChildTestProcess.start("PersistenceFaultTests/\(test)", environment: [Self.targetVariable: target.path])
        let ready = folder.appendingPathComponent("ready").path
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: ready), process.isRunning, Date() < deadline { usleep(2_000) }
        XCTAssertTrue(process.isRunning, "the writer is still writing when it is killed")
        usleep(useconds_t(milliseconds * 1_000))
        kill(process.processIdentifier, SIGKILL)
        try ChildTestProcess.wait(for: process, seconds: 60)
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)
    }

    // MARK: disk full and read-only

    func testFullDiskIsAClearErrorAndLeavesThePreviousCheckpoint() throws {
        let url = try makeTemporaryFolder(self).appendingPathComponent("model.ckpt")
        try Self.checkpoint(marker: 5).write(to: url)
        let before = try Data(contentsOf: url)
        let bigger = try Self.checkpoint(marker: 6)
        try withFileSizeLimit(4096) {
            XCTAssertThrowsError(try bigger.write(to: url)) { error in
                XCTAssertTrue("\(error)".contains(url.path) && "\(error)".contains("File too large"), "\(error)")
            }
        }
        XCTAssertEqual(try Data(contentsOf: url), before, "the previous checkpoint is untouched")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path), ["model.ckpt"],
                       "no temporary file is left")
    }

    func testFullDiskDuringARunStoreWriteKeepsEarlierRuns() throws {
        let url = try makeTemporaryFolder(self).appendingPathComponent("runs.sqlite")
        let store = try RunStore(url: url)
        let first = try store.begin(sampleStart(label: "kept"))
        try store.append(sampleEpoch(1), to: first)
        try store.finish(first, RunEnd(status: .finished, trainSeconds: 1))
        let size = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int)
        try withFileSizeLimit(size) {
            XCTAssertThrowsError(try {
                for index in 0..<200 {
                    let id = try store.begin(sampleStart(label: "overflow \(index)"))
                    for epoch in 1...20 { try store.append(sampleEpoch(epoch), to: id) }
                }
            }())
        }
        let reopened = try RunStore(url: url)
        XCTAssertEqual(try reopened.runs().first { $0.label == "kept" }?.status, .finished, "the earlier run survives")
    }

    func testReadOnlyLocationIsAClearError() throws {
        // /proc accepts no new files even for root (who ignores permission bits), so it stands for a read-only folder.
        let url = URL(fileURLWithPath: "/proc/harlab-test-\(getpid()).ckpt")
        XCTAssertThrowsError(try Self.checkpoint(marker: 7).write(to: url)) { error in
            XCTAssertTrue("\(error)".contains(url.path), "\(error)")
        }
        XCTAssertThrowsError(try RunStore(url: URL(fileURLWithPath: "/proc/harlab-test-\(getpid()).sqlite"))) { error in
            XCTAssertTrue("\(error)".contains("/proc/harlab-test"), "\(error)")
        }
    }

    /// Runs `body` with regular files limited to `bytes` (writes beyond fail with EFBIG instead of raising SIGXFSZ).
    private func withFileSizeLimit(_ bytes: Int, _ body: () throws -> Void) throws {
        var saved = rlimit()
        getrlimit(Int32(RLIMIT_FSIZE.rawValue), &saved)
        let previousHandler = signal(SIGXFSZ, SIG_IGN)
        var limited = saved
        limited.rlim_cur = rlim_t(bytes)
        XCTAssertEqual(setrlimit(Int32(RLIMIT_FSIZE.rawValue), &limited), 0)
        defer {
            setrlimit(Int32(RLIMIT_FSIZE.rawValue), &saved)
            signal(SIGXFSZ, previousHandler)
        }
        try body()
    }
}

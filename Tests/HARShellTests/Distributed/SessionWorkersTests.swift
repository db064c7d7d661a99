import Foundation
import HARKit
import TestSupport
import XCTest

/// `set workers N` and `har worker --join` with real processes on loopback: the session trains data-parallel with
/// its workers as an env-launched job does, speaks and records alone, reports a killed worker within the bound and
/// stays usable, and leaves no worker behind however it ends.
///
/// Each test starts a session and one or two workers (a few seconds each in a debug build); the training tests take
/// about 10–30 s on a busy 2-core machine.
final class SessionWorkersTests: IsolatedTestCase {
    private static let load = "load synthetic window=32 overlap=0"
    private static let recipe = "\(load); model sa width=2 depth=1; set batch 64; set seed 5; set amp off"

    /// `set workers 2` then `train 2`: the session prints every epoch, records one run, and its losses and final
    /// evaluation (in shares with the worker) are those of the env-launched 2-rank job running the same commands (the same Trainer path: the
    /// same global batches split the same way; each epoch ended with the ranks' weight checksums compared, a
    /// difference failing the train). `status` names the worker; once the session has ended no worker runs.
    func testTwoWorkersTrainAsTheEnvLaunchedJobAndRecordOneRun() throws {
        let script = "\(Self.recipe); train 2; eval"
        let session = try HarBinary.run(["--no-rc", "--quiet", "--json", "-c", "set workers 2; status; " + script],
                                        environment: ["HARLAB_DIST_TIMEOUT": "20"])
        XCTAssertEqual(session.status, 0, session.stderr)
        XCTAssertFalse(session.stderr.contains("error"), session.stderr)
        let job = try RankProcesses(worldSizes: [2, 2], arguments: ["--json"]) { _ in script }
        try job.wait()
        XCTAssertEqual(job.ranks.map(\.status), [0, 0], job.transcript)

        let sessionEpochs = Self.results(session.stdout, "train").filter { $0["epoch"] != nil }
        let jobEpochs = Self.results(job.ranks[0].output, "train").filter { $0["epoch"] != nil }
        XCTAssertEqual(sessionEpochs.count, 2, session.stdout)
        XCTAssertEqual(jobEpochs.count, 2, job.transcript)
        for (mine, theirs) in zip(sessionEpochs, jobEpochs) {
            for key in ["train_loss", "val_loss", "train_accuracy"] {
                XCTAssertEqual(mine[key] as? Double, theirs[key] as? Double, "\(key) of epoch \(mine["epoch"] ?? "?")")
            }
        }
        let evaluation = Self.results(session.stdout, "eval").first, jobEvaluation = Self.results(job.ranks[0].output, "eval").first
        XCTAssertNotNil(evaluation?["accuracy"], session.stdout)
        XCTAssertEqual(evaluation?["accuracy"] as? Double, jobEvaluation?["accuracy"] as? Double)
        XCTAssertEqual(evaluation?["f1_macro"] as? Double, jobEvaluation?["f1_macro"] as? Double)
        XCTAssertEqual(evaluation?["ranks"] as? Int, 2, "the worker evaluated its share: its weights are the session's after the train")

        let status = try XCTUnwrap(Self.results(session.stdout, "status").first)
        XCTAssertEqual(status["workers"] as? Int, 2)
        XCTAssertTrue((status["worker_address"] as? String)?.hasPrefix("127.0.0.1:") == true, "\(status)")
        let pids = (status["worker_pids"] as? [Int] ?? []).map(Int32.init)
        XCTAssertEqual(pids.count, 1)
        XCTAssertEqual(SessionProcess.running(pids, after: 5), [], "no worker outlives its session")
    }

    /// The session's own store records the run once (the worker records nothing), and `set workers 1` ends the
    /// worker at once; the session then trains alone.
    func testOneRecordedRunAndSetWorkersOneEndsTheWorker() throws {
        let session = try SessionProcess(environment: ["HARLAB_DIST_TIMEOUT": "20"])
        session.send("set workers 2", "status", Self.recipe, "train 1")
        try session.waitFor("\"stopped\"")
        let pids = session.workerPIDs
        XCTAssertEqual(pids.count, 1, session.transcript)
        XCTAssertEqual(try RunStore(url: session.store).runs().count, 1, session.transcript)
        session.send("set workers 1", "status", "set threads 1", "train 1")
        try session.close()
        XCTAssertEqual(try session.wait(), 0, session.transcript)
        XCTAssertEqual(SessionProcess.running(pids, after: 2), [], "set workers 1 ends the worker")
        XCTAssertEqual(session.results(of: "status").last?["workers"] as? Int, 1, session.transcript)
        XCTAssertEqual(session.results(of: "train").filter { $0["stopped"] != nil }.count, 2, session.transcript)
    }

    /// A model trained alone, then with a worker: the session sends its trainer (weights, Adam's moments, epochs),
    /// so the second `train` continues the run on both ranks — had the worker started its optimizer afresh, their
    /// weights would differ after the first step and the epoch's checksum comparison would fail the train. The
    /// store holds one run of 2 epochs. `train N continue` of a schedule begun alone is refused.
    func testAModelTrainedAloneContinuesWithItsOptimizerStateOnTheWorkers() throws {
        let script = "\(Self.recipe); set threads 1; train 1; set workers 2; train 1 continue; train 1; status"
        let home = temporaryFolder()
        let session = try HarBinary.run(["--no-rc", "--quiet", "--json", "--keep-going", "-c", script],
                                        environment: ["HARLAB_DIST_TIMEOUT": "20"], home: home)
        XCTAssertEqual(session.status, 1, "train 1 continue fails — " + session.stderr)
        XCTAssertTrue(session.stderr.contains("`continue` cannot go on with a learning-rate schedule begun without these workers"), session.stderr)
        let finished = Self.results(session.stdout, "train").filter { $0["stopped"] != nil }
        XCTAssertEqual(finished.map { $0["stopped"] as? String }, ["completed", "completed"], session.stdout + session.stderr)
        XCTAssertEqual(Self.results(session.stdout, "status").last?["workers"] as? Int, 2, "the workers stay — " + session.stderr)
        let runs = try RunStore(url: home.appendingPathComponent("runs.sqlite")).runs()
        XCTAssertEqual(runs.map(\.epochCount), [2], session.stderr)
        XCTAssertEqual(runs.map(\.status), [.finished], session.stderr)
    }

    /// `cv` with a worker runs through the farm of a distributed job (each fold whole on one rank) and gives the
    /// folds of one process (`set threads 1`, which the worker takes too); one fold says it trained on rank 1.
    /// A `tune` then leaves every rank with the best trial's trainer, so the `train` after it continues on both
    /// ranks (its epoch's weight checksums agree). About 20 s on a busy 2-core machine.
    func testCvAndTuneWithAWorkerFarmOutAndMatchOneProcess() throws {
        let script = "\(Self.recipe); set threads 1; cv folds=2 epochs=1"
        let alone = try HarBinary.run(["--no-rc", "--quiet", "--json", "-c", script])
        XCTAssertEqual(alone.status, 0, alone.stderr)
        let shared = try HarBinary.run(["--no-rc", "--quiet", "--json", "-c",
                                        "set workers 2; \(script); tune lr=1e-3|1e-2 epochs=1; train 1; status"],
                                       environment: ["HARLAB_DIST_TIMEOUT": "20"])
        XCTAssertEqual(shared.status, 0, shared.stderr)
        let folds = { (output: String) in (Self.results(output, "cv").first?["per_fold"] as? [[String: Any]]) ?? [] }
        XCTAssertEqual(folds(alone.stdout).count, 2, alone.stdout)
        XCTAssertEqual(folds(shared.stdout).map { $0["accuracy"] as? Double }, folds(alone.stdout).map { $0["accuracy"] as? Double })
        XCTAssertEqual(Set(folds(shared.stdout).compactMap { $0["rank"] as? Int }), [0, 1], "each rank trained a fold — " + shared.stdout)
        XCTAssertEqual(Self.results(shared.stdout, "train").last?["stopped"] as? String, "completed", shared.stderr)
        XCTAssertEqual(Self.results(shared.stdout, "status").last?["workers"] as? Int, 2, shared.stderr)
    }

    /// A worker killed (SIGKILL) mid-training: the session's train fails within the bound (HARLAB_DIST_TIMEOUT, 5 s
    /// here; the closed connection is usually seen at once), naming the worker and how it ended, records the run as
    /// failed, stops its workers and stays usable: `status` and `eval` still work.
    func testAKilledWorkerIsReportedWithinTheBoundAndTheSessionStaysUsable() throws {
        let session = try SessionProcess(environment: ["HARLAB_DIST_TIMEOUT": "5"])
        session.send("set workers 2", "status", Self.load, "model sa width=2 depth=1", "set batch 32", "train 500")
        try session.waitFor("train_loss")
        let pid = try XCTUnwrap(session.workerPIDs.first, session.transcript)
        kill(pid, SIGKILL)
        let killed = Date()
        try session.waitFor("was killed by signal 9", inErrors: true, seconds: 60)
        XCTAssertLessThan(Date().timeIntervalSince(killed), 5 + 5, "the bound is HARLAB_DIST_TIMEOUT plus the time to record")
        XCTAssertTrue(session.errors.contains("worker 1 (process \(pid) on this machine) was killed by signal 9"), session.transcript)
        XCTAssertTrue(session.errors.contains("the workers are stopped — `set workers 2` starts them again"), session.transcript)
        session.send("status", "eval")
        try session.close()
        XCTAssertEqual(try session.wait(), 1, "a command failed — " + session.transcript)
        XCTAssertEqual(session.results(of: "status").last?["workers"] as? Int, 1, session.transcript)
        XCTAssertNotNil(session.results(of: "eval").last?["accuracy"], "the session evaluates after the failure — " + session.transcript)
        let runs = try RunStore(url: session.store).runs()
        XCTAssertEqual(runs.map(\.status), [.failed], session.transcript)
        XCTAssertGreaterThanOrEqual(runs.first?.epochCount ?? 0, 1, "the epochs before the failure are kept")
    }

    /// Ctrl-C (SIGINT) in the session mid-training: the stop travels in the next step's all-reduce, so the worker
    /// stops at the same step; the run is recorded as cancelled and, `har` ending as an interrupted script does, the
    /// worker ends with it.
    func testCtrlCInTheSessionStopsTheWorkers() throws {
        let session = try SessionProcess(environment: ["HARLAB_DIST_TIMEOUT": "10"])
        session.send("set workers 2", "status", Self.load, "model sa width=2 depth=1", "set batch 32", "train 500")
        try session.waitFor("train_loss")
        let pids = session.workerPIDs
        kill(session.process.processIdentifier, SIGINT)
        XCTAssertEqual(try session.wait(seconds: 60), 130, session.transcript)
        XCTAssertEqual(session.results(of: "train").last?["stopped"] as? String, "interrupted", session.transcript)
        XCTAssertEqual(try RunStore(url: session.store).runs().map(\.status), [.cancelled], session.transcript)
        XCTAssertEqual(SessionProcess.running(pids, after: 5), [], "no worker outlives its session")
    }

    /// A session ended by SIGTERM or SIGKILL cleans nothing up itself: its workers see its store vanish at their
    /// next poll and end by themselves within a few seconds.
    func testWorkersOfAVanishedSessionEndByThemselves() throws {
        for signal in [SIGTERM, SIGKILL] {
            let session = try SessionProcess(environment: ["HARLAB_DIST_TIMEOUT": "10"])
            session.send("set workers 3", "status")
            try session.waitFor("worker_pids")
            let pids = session.workerPIDs
            XCTAssertEqual(pids.count, 2, session.transcript)
            kill(session.process.processIdentifier, signal)
            try session.wait(seconds: 30)
            XCTAssertEqual(SessionProcess.running(pids, after: 5), [], "signal \(signal): no worker outlives its session")
        }
    }

    /// `set workers 2 listen=127.0.0.1:PORT`: the session waits, says how to join, and a `har worker --join` started
    /// by hand joins it; they train together, and the worker ends (status 0) when the session does.
    func testAWorkerStartedByHandJoinsAListeningSession() throws {
        let port = try LoopbackPort.free()
        let session = try SessionProcess(environment: ["HARLAB_DIST_TIMEOUT": "20"])
        session.send("set workers 2 listen=127.0.0.1:\(port) wait=60", "status", Self.recipe, "train 1")
        try session.waitFor("har worker --join 127.0.0.1:\(port)", inErrors: true, seconds: 30)
        let worker = Process()
        worker.executableURL = try HarBinary.required()
        worker.arguments = ["worker", "--join", "127.0.0.1:\(port)"]
        worker.environment = ProcessInfo.processInfo.environment.merging(["HOME": session.home.path, "HARLAB_DIST_TIMEOUT": "20"]) { $1 }
        let workerErrors = Pipe()
        worker.standardError = workerErrors
        worker.standardOutput = FileHandle.nullDevice
        try worker.run()
        try session.waitFor("\"stopped\"")
        XCTAssertEqual(session.results(of: "status").last?["workers"] as? Int, 2, session.transcript)
        try session.close()
        XCTAssertEqual(try session.wait(), 0, session.transcript)
        try ProcessDeadline.wait(for: worker, seconds: 10, "the worker after its session ended")
        XCTAssertEqual(worker.terminationStatus, 0, String(decoding: workerErrors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }

    /// Bad input says what was wrong and starts nothing: a worker count outside 1...256, `wait=` without `listen=`,
    /// a malformed `listen=`; `har worker` without `--join`, or joining where no session listens (named after the
    /// timeout, 2 s here).
    func testBadWorkerSettingsAndJoinsAreNamed() throws {
        let settings = try HarBinary.run(["--no-rc", "--quiet", "--keep-going", "-c",
                                          "set workers 0; set workers 2 wait=5; set workers 2 listen=host:99999; show"])
        XCTAssertEqual(settings.status, 1)
        XCTAssertTrue(settings.stderr.contains("invalid value '0' for workers: expected an integer in 1...256"), settings.stderr)
        XCTAssertTrue(settings.stderr.contains("wait= goes with listen="), settings.stderr)
        XCTAssertTrue(settings.stderr.contains("invalid value 'host:99999' for listen: expected HOST:PORT or PORT"), settings.stderr)
        XCTAssertTrue(settings.stdout.contains("workers: none"), settings.stdout)

        let missing = try HarBinary.run(["worker"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("har worker needs --join HOST:PORT"), missing.stderr)

        let port = try LoopbackPort.free()
        let started = Date()
        let nobody = try HarBinary.run(["worker", "--join", "127.0.0.1:\(port)"], environment: ["HARLAB_DIST_TIMEOUT": "2"])
        XCTAssertEqual(nobody.status, 1)
        XCTAssertTrue(nobody.stderr.contains("no session answered at 127.0.0.1:\(port) within 2 s"), nobody.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(started), 30)
    }

    /// The `--json` results of `command` in `output`, in order.
    static func results(_ output: String, _ command: String) -> [[String: Any]] {
        output.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  object["command"] as? String == command else { return nil }
            return object
        }
    }
}

import Foundation
import GRDB
import XCTest
@testable import HARKit
import TestSupport

final class RunStoreTests: IsolatedTestCase {
    func testDefaultURLPrefersHarRunsThenXDGDataHomeThenHome() {
        XCTAssertEqual(RunStore.defaultURL(environment: ["HAR_RUNS": "/x/r.sqlite", "XDG_DATA_HOME": "/d", "HOME": "/h"]).path, "/x/r.sqlite")
        XCTAssertEqual(RunStore.defaultURL(environment: ["XDG_DATA_HOME": "/d", "HOME": "/h"]).path, "/d/harlab/runs.sqlite")
        XCTAssertEqual(RunStore.defaultURL(environment: ["XDG_DATA_HOME": "relative", "HOME": "/h"]).path, "/h/.local/share/harlab/runs.sqlite")
        XCTAssertEqual(RunStore.defaultURL(environment: ["HOME": "/h"]).path, "/h/.local/share/harlab/runs.sqlite")
    }

    func testRunRoundTripsEveryFieldThroughTheFile() throws {
        let url = try makeTemporaryFolder(self).appendingPathComponent("nested/runs.sqlite")
        var start = sampleStart(seed: UInt64.max - 3, label: "tune trial 2")
        start.config.learningRate = 3e-3
        start.config.dropout = 0.25
        start.config.schedule = .cosine
        // The recipe's, imbalance and fine-tuning settings, and the weights the run started from (v6-learn).
        start.config.warmupEpochs = 1
        start.config.labelSmoothing = 0.1
        start.config.averagingDecay = 0.99
        start.config.classWeights = .explicit([.init(name: "walk", weight: 2.5)])
        start.config.sampler = .balanced
        start.config.stemLearningRate = 0
        start.source = ModelSource(run: 3, checkpoint: "/tmp/sa.ckpt")
        let id = try RunStore(url: url).begin(start)
        let store = try RunStore(url: url)
        var diverged = sampleEpoch(2)
        diverged.trainLoss = .nan
        diverged.validationLoss = nil
        try store.append(sampleEpoch(1), to: id)
        try store.append(diverged, to: id)
        let running = try store.run(id)
        XCTAssertEqual(running.status, .running)
        XCTAssertNil(running.endedAt)
        XCTAssertEqual(running.trainSeconds, 4, "sum of the epochs' seconds while running")

        let timing = InferenceTiming(latencyP50: 1.5, latencyP95: 2.5, latencyMean: 1.7, throughput: 900, batch: 512)
        try store.finish(id, RunEnd(status: .stoppedEarly, message: "early stop (best epoch 1 restored)", trainSeconds: 4.5,
                                    endedAt: Date(timeIntervalSince1970: 1_800_000_100)))
        try store.setEvaluation(of: id, metrics: sampleMetrics(correct: 7), inference: timing)
        try store.setCheckpoint(of: id, path: "/tmp/model.pt")

        let run = try RunStore(url: url).run(id)
        XCTAssertEqual(run.id, id)
        XCTAssertEqual(run.dataset, "uci-har")
        XCTAssertEqual(run.datasetProtocol, #"{"window":128}"#)
        XCTAssertEqual(run.model, "sa")
        XCTAssertEqual(run.config, start.config)
        XCTAssertEqual(run.seed, UInt64.max - 3)
        XCTAssertEqual(run.versions, ["harlab": "test"])
        XCTAssertEqual(run.host, "testhost")
        XCTAssertEqual(run.label, "tune trial 2")
        XCTAssertEqual(run.startedAt, start.startedAt)
        XCTAssertEqual(run.endedAt, Date(timeIntervalSince1970: 1_800_000_100))
        XCTAssertEqual(run.status, .stoppedEarly)
        XCTAssertEqual(run.message, "early stop (best epoch 1 restored)")
        XCTAssertEqual(run.epochCount, 2)
        XCTAssertNil(run.finalTrainLoss, "a NaN loss is stored as NULL")
        XCTAssertEqual(run.trainSeconds, 4.5)
        XCTAssertEqual(run.testMetrics, sampleMetrics(correct: 7))
        XCTAssertEqual(run.testMetrics?.accuracy, 0.7)
        XCTAssertEqual(run.inference, timing)
        XCTAssertEqual(run.checkpointPath, "/tmp/model.pt")
        XCTAssertEqual(run.source, ModelSource(run: 3, checkpoint: "/tmp/sa.ckpt"))

        let epochs = try store.epochs(of: id)
        XCTAssertEqual(epochs.count, 2)
        XCTAssertEqual(epochs[0], sampleEpoch(1))
        XCTAssertTrue(epochs[1].trainLoss.isNaN)
        XCTAssertNil(epochs[1].validationLoss)
        XCTAssertEqual(epochs[1].validationAccuracy, diverged.validationAccuracy)
    }

    func testStatusFollowsTheStopReason() {
        XCTAssertEqual(RunStatus(.completed), .finished)
        XCTAssertEqual(RunStatus(.earlyStopped(bestEpoch: 3)), .stoppedEarly)
        XCTAssertEqual(RunStatus(.cancelled), .cancelled)
        XCTAssertEqual(RunStatus(.diverged("loss is nan")), .failed)
    }

    func testBestRunsKeepsTheMostAccurateRunOfEachDatasetAndModel() throws {
        let store = try RunStore(url: try makeTemporaryFolder(self).appendingPathComponent("runs.sqlite"))
        let end = RunEnd(status: .finished, trainSeconds: 1)
        let scores: [(String, String, Int?)] = [("uci-har", "sa", 6), ("uci-har", "sa", 9), ("uci-har", "sa", 8),
                                                ("uci-har", "cnn", 5), ("wisdm", "sa", 7), ("wisdm", "sa", nil), ("dsads", "cnn", nil)]
        var ids: [Int64] = []
        for (dataset, model, correct) in scores {
            ids.append(try store.record(sampleStart(dataset: dataset, model: model), epochs: [sampleEpoch(1)], end: end,
                                        metrics: correct.map(sampleMetrics(correct:))))
        }
        let best = try store.bestRuns()
        XCTAssertEqual(best.map(\.dataset), ["uci-har", "uci-har", "wisdm"])
        XCTAssertEqual(best.map(\.model), ["cnn", "sa", "sa"])
        XCTAssertEqual(best.map(\.id), [ids[3], ids[1], ids[4]])
        XCTAssertEqual(best.map { $0.testMetrics?.accuracy }, [0.5, 0.9, 0.7])
    }

    func testRunsSideBySideKeepRequestedOrderAndUnknownIdsAreNamed() throws {
        let store = try RunStore(url: try makeTemporaryFolder(self).appendingPathComponent("runs.sqlite"))
        let a = try store.begin(sampleStart(model: "sa"))
        let b = try store.begin(sampleStart(model: "cnn"))
        XCTAssertEqual(try store.runs([b, a]).map(\.model), ["cnn", "sa"])
        XCTAssertEqual(try store.runs().map(\.id), [a, b])
        XCTAssertEqual(try store.latestRunID(), b)
        XCTAssertEqual(try store.runs([Int64]()), [])
        XCTAssertThrowsError(try store.runs([a, 40, 41])) { error in
            XCTAssertEqual("\(error)", "no runs 40, 41 in run store '\(store.url.path)' (it has 2 runs, ids \(a)…\(b))")
        }
    }

    func testUnknownRunIdIsRejectedEverywhereAndNothingChanges() throws {
        let store = try RunStore(url: try makeTemporaryFolder(self).appendingPathComponent("runs.sqlite"))
        XCTAssertThrowsError(try store.run(1)) { XCTAssertTrue("\($0)".contains("no run 1 in run store"), "\($0)") }
        XCTAssertThrowsError(try store.epochs(of: 1)) { XCTAssertTrue("\($0)".contains("the store has no runs"), "\($0)") }
        let id = try store.begin(sampleStart())
        XCTAssertThrowsError(try store.append(sampleEpoch(1), to: id + 1))
        XCTAssertThrowsError(try store.finish(id + 1, RunEnd(status: .finished, trainSeconds: 1)))
        XCTAssertThrowsError(try store.setEvaluation(of: id + 1, metrics: sampleMetrics(correct: 1)))
        XCTAssertThrowsError(try store.setCheckpoint(of: id + 1, path: "x"))
        XCTAssertThrowsError(try store.delete([id, id + 1])) { XCTAssertTrue("\($0)".contains("no run \(id + 1)"), "\($0)") }
        XCTAssertEqual(try store.runs().map(\.id), [id], "a rejected delete deletes nothing")
        XCTAssertEqual(try store.run(id).status, .running)
        try store.append(sampleEpoch(1), to: id)
        XCTAssertThrowsError(try store.append(sampleEpoch(1), to: id)) { XCTAssertTrue("\($0)".contains("already has epoch 1"), "\($0)") }
        try store.delete([id])
        XCTAssertEqual(try store.runs().count, 0)
    }

    func testStoreUsesWALAndRecordsItsMigrations() throws {
        let url = try makeTemporaryFolder(self).appendingPathComponent("runs.sqlite")
        _ = try RunStore(url: url)
        let queue = try DatabaseQueue(path: url.path)
        XCTAssertEqual(try queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }, "wal")
        XCTAssertEqual(try queue.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") },
                       ["v1: runs and epochs", "v2: run owners and interrupted runs", "v3: run kinds, groups, settings history and spreads",
                        "v4: the precision a run trained in", "v5-learn: per-subject scores",
                        "v6-learn: the trained weights a run started from"])
    }

    func testStoreFromANewerHarlabIsRefused() throws {
        let url = try makeTemporaryFolder(self).appendingPathComponent("runs.sqlite")
        let id = try RunStore(url: url).begin(sampleStart())
        try DatabaseQueue(path: url.path).write { try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('v9: from the future')") }
        XCTAssertThrowsError(try RunStore(url: url)) { error in
            XCTAssertTrue("\(error)".contains("was written by a newer harlab"), "\(error)")
        }
        try DatabaseQueue(path: url.path).write { try $0.execute(sql: "DELETE FROM grdb_migrations WHERE identifier LIKE 'v9%'") }
        XCTAssertEqual(try RunStore(url: url).run(id).dataset, "uci-har")
    }

    func testAFileThatIsNotAStoreIsRefusedAndLeftAlone() throws {
        let url = try makeTemporaryFolder(self).appendingPathComponent("runs.sqlite")
        let junk = Data(repeating: 0x41, count: 4096)
        try junk.write(to: url)
        XCTAssertThrowsError(try RunStore(url: url)) { error in
            XCTAssertTrue("\(error)".contains("is not a harlab run store"), "\(error)")
        }
        XCTAssertEqual(try Data(contentsOf: url), junk)
    }

    func testAStoreInsideAFileIsAClearError() throws {
        let file = try makeTemporaryFolder(self).appendingPathComponent("plain")
        try Data("x".utf8).write(to: file)
        XCTAssertThrowsError(try RunStore(url: file.appendingPathComponent("runs.sqlite"))) { error in
            XCTAssertTrue("\(error)".hasPrefix("cannot create the folder of run store '\(file.path)/runs.sqlite'"), "\(error)")
        }
    }

    func testALockedStoreFailsClearlyAndLosesNothing() throws {
        let url = try makeTemporaryFolder(self).appendingPathComponent("runs.sqlite")
        let store = try RunStore(url: url, busyTimeout: 0.2)
        let first = try store.begin(sampleStart())
        let other = try DatabaseQueue(path: url.path)
        try other.inDatabase { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            try db.execute(sql: "DELETE FROM runs")
            XCTAssertThrowsError(try store.begin(sampleStart())) { error in
                XCTAssertTrue("\(error)".contains("is locked by another process; nothing was changed"), "\(error)")
            }
            XCTAssertThrowsError(try store.record(sampleStart(), epochs: [sampleEpoch(1)], end: RunEnd(status: .finished, trainSeconds: 1)))
            XCTAssertEqual(try store.runs().map(\.id), [first], "readers still see the last committed state")
            try db.execute(sql: "ROLLBACK")
        }
        XCTAssertEqual(try store.runs().map(\.id), [first])
        XCTAssertEqual(try store.epochs(of: first), [])
        XCTAssertEqual(try store.begin(sampleStart()), first + 1)
    }
}

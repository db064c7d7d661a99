import Foundation
import GRDB
import Torch
import XCTest
@testable import HARKit
import TestSupport

/// Whole results and their members in the run store: a cross-validation, a search and repeated seeds are one result
/// each, ranked by `bestRuns` beside held-out runs, while their folds, trials and seeds never are.
final class RunGroupsTests: IsolatedTestCase {
    static let dataset: HARDataset = try! everyFourthWindow(of: DatasetCatalog.load("synthetic", from: nil, options: [:], dataDirectory: nil))

    /// A v2 store (before kinds) holding a held-out run at 0.8, a luckier cv fold at 0.9 and a trial at 1.0, as the
    /// issue found them: opened by this harlab it keeps all three runs, knows the fold and the trial by their labels,
    /// and ranks only the held-out run. Before the v3 migration `bestRuns` returned the trial.
    func testAnOlderStoreOpensKeepsItsRunsAndStopsRankingFoldsAndTrials() throws {
        let url = try makeTemporaryFolder(self).appendingPathComponent("runs.sqlite")
        let queue = try DatabaseQueue(path: url.path)
        try RunStoreSchema.migrator.migrate(queue, upTo: "v2: run owners and interrupted runs")
        let config = try RunJSON.text(TrainingConfig())
        try queue.write { db in
            for (label, accuracy) in [(nil, 0.8), ("cv fold 6/6 (test subjects 6)", 0.9), ("tune trial 1/4: lr=0.001", 1.0)] as [(String?, Double)] {
                try db.execute(sql: """
                    INSERT INTO runs (dataset, protocol, model, config, seed, versions, host, label, started_at, status, accuracy, f1_macro)
                    VALUES ('uci-har', '{}', 'sa', ?, 0, '{}', 'h', ?, '2026-01-01 00:00:00', 'finished', ?, ?)
                    """, arguments: [config, label, accuracy, accuracy])
            }
        }
        try queue.close()
        let store = try RunStore(url: url)
        let runs = try store.runs()
        XCTAssertEqual(runs.map(\.id), [1, 2, 3], "every run is kept")
        XCTAssertEqual(runs.map(\.kind), [.train, .fold, .trial])
        XCTAssertEqual(runs.map(\.settings.count), [1, 1, 1], "a run from before settings histories has its configuration as its one entry")
        XCTAssertEqual(try store.bestRuns().map(\.id), [1], "the held-out run, not the luckier fold or trial")
    }

    /// A cross-validation is one result: its figures are the mean ± std over its folds, its folds are its members, and
    /// `bestRuns` ranks it by its mean beside held-out runs — never one of its folds.
    func testCrossValidationIsOneResultWithItsFoldsBeneathIt() throws {
        let store = try RunStore(url: try makeTemporaryFolder(self).appendingPathComponent("runs.sqlite"))
        let heldOut = try store.begin(sampleStart())
        try store.setEvaluation(of: heldOut, metrics: sampleMetrics(correct: 9))
        let cv = try store.begin(RunStart(dataset: "uci-har", model: "sa", config: TrainingConfig(), label: "cv", kind: .cv))
        var folds: [Int64] = []
        for correct in [10, 6] {
            let fold = try store.begin(RunStart(dataset: "uci-har", model: "sa", config: TrainingConfig(), label: "fold", kind: .fold, groupID: cv))
            try store.setEvaluation(of: fold, metrics: sampleMetrics(correct: correct))
            folds.append(fold)
        }
        try store.setSpread(of: cv, ResultSpread([sampleMetrics(correct: 10), sampleMetrics(correct: 6)]))
        XCTAssertEqual(try store.bestRuns().map(\.id), [heldOut], "0.9 held out beats the cv's mean 0.8; its 1.0 fold is no result")

        let record = try store.run(cv)
        XCTAssertEqual(record.kind, .cv)
        XCTAssertEqual(record.accuracy ?? 0, 0.8, accuracy: 1e-12)
        XCTAssertEqual(record.spread?.accuracyStd ?? 0, (0.08).squareRoot(), accuracy: 1e-12, "sqrt((0.2² + 0.2²) / 1)")
        XCTAssertEqual(try store.members(of: cv).map(\.id), folds)
        XCTAssertTrue(try store.members(of: cv).allSatisfy { $0.groupID == cv && $0.kind == .fold })

        try store.setSpread(of: cv, ResultSpread([sampleMetrics(correct: 10), sampleMetrics(correct: 9)]))
        XCTAssertEqual(try store.bestRuns().map(\.id), [cv], "a better mean (0.95) wins, as one row")
        let table = RunTable.comparison(try store.bestRuns())
        XCTAssertEqual(table.rows[0][table.columns.firstIndex { $0.key == "accuracy_std" }!].display, String(format: "%.2f%%", (0.005).squareRoot() * 100),
                       "the spread of an accuracy reads as the accuracy does, a percentage")
        XCTAssertEqual(RunTable.runs(try store.runs()).rows.map { $0[0] }, [.integer(heldOut), .integer(cv)] + folds.map(TableValue.integer))

        try store.delete([cv])
        XCTAssertEqual(try store.runs().map(\.id), [heldOut], "deleting a result deletes its members")
    }

    /// A later `train` with other settings joins the run's settings history; the run shows its latest configuration
    /// and says what changed from which epoch. The same settings again add nothing.
    func testAResumedRunRecordsWhatChangedAndFromWhichEpoch() throws {
        let store = try RunStore(url: try makeTemporaryFolder(self).appendingPathComponent("runs.sqlite"))
        let id = try store.begin(sampleStart())
        var slower = sampleStart().config
        slower.learningRate = 1e-4
        try store.resume(id, with: RunSettings(fromEpoch: 4, config: slower, augmentation: "jitter"))
        try store.resume(id, with: RunSettings(fromEpoch: 6, config: slower, augmentation: "jitter"))
        let run = try store.run(id)
        XCTAssertEqual(run.config.learningRate, 1e-4)
        XCTAssertEqual(run.augmentation, "jitter")
        XCTAssertEqual(run.settings.map(\.fromEpoch), [1, 4])
        XCTAssertEqual(RunTable.changes(run), "epoch 4: augmentation none→jitter, learningRate 0.0005→0.0001")
        XCTAssertEqual(RunTable.settingsSummary(run),
                       "adamw lr 0.0001 batch 128 wd 0.001 augment jitter seed 1 (epoch 4: augmentation none→jitter, learningRate 0.0005→0.0001)")
    }

    func testLabelIsSetClearedAndAnUnknownRunIsNamed() throws {
        let store = try RunStore(url: try makeTemporaryFolder(self).appendingPathComponent("runs.sqlite"))
        let id = try store.begin(sampleStart())
        try store.setLabel(of: id, to: "baseline")
        XCTAssertEqual(try store.run(id).label, "baseline")
        try store.setLabel(of: id, to: nil)
        XCTAssertNil(try store.run(id).label)
        XCTAssertThrowsError(try store.setLabel(of: 9, to: "x")) { XCTAssertTrue("\($0)".contains("no run 9 in run store"), "\($0)") }
    }

    /// Repeated seeds train fresh models with consecutive seeds and record one result, mean ± std, computed here
    /// again from the members' own test figures.
    func testRepeatedSeedsAreOneResultWithTheMeanAndStdOfTheirSeeds() throws {
        let store = try RunStore(url: try makeTemporaryFolder(self).appendingPathComponent("runs.sqlite"))
        var config = TrainingConfig()
        config.seed = 4
        config.batchSize = 256
        let result = try RepeatedSeeds(count: 2, epochs: 1).run(dataset: Self.dataset, spec: try ModelSpec("sa", options: ["width": "2", "depth": "1"]),
                                                                config: config, recording: RunRecording(store: store))
        XCTAssertEqual(result.members.map(\.seed), [4, 5])
        let accuracies = result.members.map(\.metrics.accuracy)
        let mean = (accuracies[0] + accuracies[1]) / 2
        XCTAssertEqual(result.spread?.accuracyMean ?? -1, mean, accuracy: 1e-12)
        XCTAssertEqual(result.spread?.accuracyStd ?? -1, abs(accuracies[0] - accuracies[1]) / 2.0.squareRoot(), accuracy: 1e-12)
        let runs = try store.runs()
        XCTAssertEqual(runs.map(\.kind), [.seeds, .seed, .seed])
        XCTAssertEqual(runs.dropFirst().map(\.groupID), [result.runID, result.runID])
        XCTAssertEqual(runs.dropFirst().map(\.seed), [4, 5])
        XCTAssertEqual(runs[0].status, .finished)
        XCTAssertEqual(runs[0].accuracy ?? -1, mean, accuracy: 1e-12)
        XCTAssertEqual(try store.bestRuns().map(\.id), [result.runID!])
        XCTAssertThrowsError(try RepeatedSeeds(count: 1, epochs: 1)) { XCTAssertTrue("\($0)".contains("at least 2 seeds"), "\($0)") }
    }
}

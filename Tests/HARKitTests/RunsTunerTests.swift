import Foundation
import Torch
import XCTest
@testable import HARKit
import TestSupport

final class RunsTunerTests: IsolatedTestCase {
    static let dataset: HARDataset = try! everyFourthWindow(of: DatasetCatalog.load("synthetic", from: nil, options: [:], dataDirectory: nil))

    func testSearchSpaceParsesEveryRangeKind() throws {
        let space = try SearchSpace(parsing: "lr=1e-4..1e-2:log, batch=64|128, dropout=0..0.5, hidden=64|128|256, depth=1..3, wd=0..2:int")
        XCTAssertEqual(space.parameters.map(\.key), ["lr", "batch", "dropout", "hidden", "depth", "wd"])
        XCTAssertEqual(space.parameters.map(\.range), [.logUniform(1e-4, 1e-2), .choice(["64", "128"]), .uniform(0, 0.5),
                                                        .choice(["64", "128", "256"]), .integer(1, 3), .integer(0, 2)])
    }

    func testSearchSpaceRejectsBadItemsNamingThem() {
        let cases = ["lr": "'lr' is not KEY=RANGE", "lrr=1..2": "cannot tune 'lrr' — did you mean 'lr'?", "lr=2..1": "the low bound must be below",
                     "lr=0..1:log": "a log range needs positive bounds", "batch=64|big": "'batch' takes whole numbers, got 'big'",
                     "lr=1..2:cube": "unknown range kind ':cube'", "lr=1|2, lr=3|4": "'lr' is given twice", "": "nothing to tune",
                     "dropout=a..b": "is not a range"]
        for (text, expected) in cases {
            XCTAssertThrowsError(try SearchSpace(parsing: text), text) { XCTAssertTrue("\($0)".contains(expected), "\(text): \($0)") }
        }
    }

    func testSamplesStayInTheirRangesAndFollowTheSeed() throws {
        let space = try SearchSpace(parsing: "lr=1e-4..1e-2:log, batch=64|128, dropout=0..0.5, depth=1..3")
        var generator = SeededGenerator(seed: 4)
        let samples = (0..<400).map { _ in space.sample(using: &generator) }
        let lrs = samples.map { Double($0["lr"]!)! }, depths = Set(samples.map { $0["depth"]! })
        XCTAssertTrue(lrs.allSatisfy { (1e-4...1e-2).contains($0) })
        XCTAssertEqual(lrs.filter { $0 < 1e-3 }.count, 200, accuracy: 40, "log-uniform: half the draws lie below the geometric middle")
        XCTAssertEqual(depths, ["1", "2", "3"], "integer bounds are both included")
        XCTAssertEqual(Set(samples.map { $0["batch"]! }), ["64", "128"])
        XCTAssertTrue(samples.allSatisfy { (0...0.5).contains(Double($0["dropout"]!)!) })
        var again = SeededGenerator(seed: 4)
        XCTAssertEqual(space.sample(using: &again), samples[0])
    }

    func testRungsShrinkByTheReductionFactor() throws {
        let space = try SearchSpace(parsing: "lr=1e-3..1e-2:log")
        var noGrace = try Tuner(space: space, trials: 9, epochs: 10)
        noGrace.gracePeriod = 1
        XCTAssertEqual(noGrace.rungs, [1, 3, 10])
        noGrace.epochs = 27
        XCTAssertEqual(noGrace.rungs, [1, 3, 9, 27])
        XCTAssertEqual(try Tuner(space: space, trials: 9, epochs: 2).rungs, [2])
        XCTAssertThrowsError(try Tuner(space: space, trials: 0, epochs: 3))
    }

    /// No trial is pruned inside the grace period (2 epochs by default): a first-epoch validation score of a
    /// batch-norm network is noise (see `Tuner`).
    func testNoRungFallsInsideTheGracePeriod() throws {
        let space = try SearchSpace(parsing: "lr=1e-3..1e-2:log")
        XCTAssertEqual(try Tuner(space: space, trials: 9, epochs: 10).rungs, [3, 10])
        XCTAssertEqual(try Tuner(space: space, trials: 9, epochs: 27).rungs, [3, 9, 27])
        XCTAssertEqual(try Tuner(space: space, trials: 9, epochs: 3).rungs, [3], "a budget of 3 epochs prunes nothing")
        var longer = try Tuner(space: space, trials: 9, epochs: 27)
        longer.gracePeriod = 9
        XCTAssertEqual(longer.rungs, [9, 27])
    }

    func testSettingsReachTheConfigAndTheModel() throws {
        let (config, spec) = try Tuner.apply(["lr": "0.002", "batch": "32", "dropout": "0.25", "width": "16", "optimizer": "sgd"],
                                             to: TrainingConfig(), spec: try ModelSpec("sa"))
        XCTAssertEqual(config.learningRate, 0.002)
        XCTAssertEqual(config.batchSize, 32)
        XCTAssertEqual(config.dropout, 0.25)
        XCTAssertEqual(config.optimizer, .sgd)
        XCTAssertEqual(spec.options, ["dropout": 0.25, "width": 16])
        XCTAssertThrowsError(try Tuner.apply(["optimizer": "lion"], to: TrainingConfig(), spec: try ModelSpec("sa"))) {
            XCTAssertTrue("\($0)".contains("unknown optimizer 'lion'"), "\($0)")
        }
    }

    func runSearch(seed: UInt64, store: RunStore? = nil, progress: ((TuningTrial) -> Void)? = nil) throws -> TuningResult {
        var config = TrainingConfig()
        config.seed = seed
        config.schedule = .none
        var tuner = try Tuner(space: try SearchSpace(parsing: "lr=1e-3..1e-2:log, batch=32|64"), trials: 4, epochs: 3)
        tuner.gracePeriod = 1
        return try tuner.run(dataset: Self.dataset, spec: try ModelSpec("sa", options: ["width": "8"]), config: config, recording: RunRecording(store: store),
                             progress: progress)
    }

    func testSuccessiveHalvingPrunesTheWorstAndKeepsTheBest() throws {
        let store = try RunStore(url: try makeTemporaryFolder(self).appendingPathComponent("runs.sqlite"))
        var lastReport: [Int: TuningTrial.Status] = [:]
        let result = try runSearch(seed: 2, store: store) { lastReport[$0.index] = $0.status }
        XCTAssertEqual(result.trials.count, 4)
        for trial in result.trials { XCTAssertEqual(lastReport[trial.index], trial.status, "trial \(trial.index) was last reported as it ended") }
        let finished = result.trials.filter { $0.status == .finished }, pruned = result.trials.filter { $0.status == .pruned(afterEpochs: 1) }
        XCTAssertEqual(finished.count, 2, "ceil(4 / 3) trials reach the budget")
        XCTAssertEqual(pruned.count, 2)
        XCTAssertTrue(finished.allSatisfy { $0.history.map(\.epoch) == [1, 2, 3] })
        XCTAssertTrue(pruned.allSatisfy { $0.history.count == 1 })
        let firstRung = { (trial: TuningTrial) in trial.history[0].validationMacroF1! }
        XCTAssertGreaterThanOrEqual(finished.map(firstRung).min()!, pruned.map(firstRung).max()!, "the pruned trials scored lowest after rung 1")
        XCTAssertEqual(result.best?.score, finished.map(\.score).max())
        XCTAssertEqual(result.best?.score, result.best?.history.compactMap(\.validationMacroF1).max())
        XCTAssertEqual(result.bestTrainer?.history.count, 3)
        XCTAssertEqual(result.bestTrainer?.config, result.best?.config)

        let whole = try store.run(try XCTUnwrap(result.runID))
        XCTAssertEqual(whole.kind, .tune)
        XCTAssertEqual(whole.status, .finished)
        let test = try Evaluator(model: result.bestTrainer!.model, dataset: Self.dataset).evaluate(split: .test).metrics
        XCTAssertEqual(result.bestTestMetrics?.accuracy, test.accuracy, "the best trial's model, evaluated once on the test split")
        XCTAssertEqual(whole.testMetrics?.accuracy, test.accuracy)
        XCTAssertTrue(whole.label?.hasPrefix("tune 4 trials: best trial \(result.best!.index) ") == true, whole.label ?? "")
        XCTAssertEqual(try store.bestRuns().map(\.id), [whole.id], "the search ranks as one result, never a trial")
        let runs = try store.members(of: whole.id)
        XCTAssertEqual(try store.runs().count, 5, "the search and its trials")
        XCTAssertEqual(runs.count, 4, "every trial is recorded")
        XCTAssertTrue(runs.allSatisfy { $0.kind == .trial })
        XCTAssertEqual(runs.map(\.label!).map { String($0.prefix(15)) }, ["tune trial 1/4:", "tune trial 2/4:", "tune trial 3/4:", "tune trial 4/4:"])
        XCTAssertEqual(runs.map(\.epochCount).sorted(), [1, 1, 3, 3])
        XCTAssertEqual(runs.filter { $0.status == .stoppedEarly }.count, 2)
        XCTAssertTrue(runs.allSatisfy { $0.config.learningRate >= 1e-3 && $0.config.learningRate <= 1e-2 })
        let table = result.table
        XCTAssertEqual(table.rows.first?[0], .integer(Int64(result.best!.index)), "the table is sorted by score")
    }

    func testSameSeedGivesTheSameSearch() throws {
        let first = try runSearch(seed: 5), second = try runSearch(seed: 5)
        XCTAssertEqual(first.trials.map(\.settingsText), second.trials.map(\.settingsText))
        XCTAssertEqual(first.trials.map(\.score), second.trials.map(\.score))
        XCTAssertNotEqual(first.trials.map(\.settingsText), try runSearch(seed: 6).trials.map(\.settingsText))
    }

    func testStoppingASearchKeepsWhatRanAndMarksTheRestCancelled() throws {
        let store = try RunStore(url: try makeTemporaryFolder(self).appendingPathComponent("runs.sqlite"))
        let tuner = try Tuner(space: try SearchSpace(parsing: "lr=1e-3..1e-2:log"), trials: 3, epochs: 3)
        var polls = 0
        let result = try tuner.run(dataset: Self.dataset, spec: try ModelSpec("sa", options: ["width": "8"]), config: TrainingConfig(), recording: RunRecording(store: store)) {
            polls += 1
            return polls > 3
        }
        XCTAssertTrue(result.cancelled)
        XCTAssertNil(result.best)
        XCTAssertEqual(result.trials.map(\.status), [.cancelled, .cancelled, .cancelled])
        XCTAssertEqual(try store.runs().map(\.status), [.cancelled, .cancelled, .cancelled, .cancelled],
                       "neither the search nor a trial is left 'running' in the store")
    }

    func testSearchWithoutValidationWindowsIsRefused() throws {
        var data = Self.dataset
        data.splits = data.splits.map { $0 == .validation ? .train : $0 }
        let tuner = try Tuner(space: try SearchSpace(parsing: "lr=1e-3..1e-2:log"), trials: 2, epochs: 1)
        XCTAssertThrowsError(try tuner.run(dataset: data, spec: try ModelSpec("sa"), config: TrainingConfig())) {
            XCTAssertTrue("\($0)".contains("has none (set val above 0"), "\($0)")
        }
    }
}

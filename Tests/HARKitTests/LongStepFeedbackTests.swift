import Foundation
import XCTest
import Torch
@testable import HARKit
import TestSupport

/// What the long steps tell a front end while they run (issue 20 §3): the evaluator's batches and stop, and the
/// training events of every `cv` fold and `tune` trial with the total the search will train.
final class LongStepFeedbackTests: IsolatedTestCase {
    static let dataset: HARDataset = try! everyFourthWindow(of: DatasetCatalog.load("synthetic", from: nil, options: ["window": "32", "overlap": "0"],
                                                                                     dataDirectory: nil))

    private func model() throws -> any HARModel {
        Runtime.manualSeed(1)
        let data = Self.dataset
        return try ModelFactory.make(try ModelSpec("sa", options: ["width": "4", "depth": "1"]),
                                     input: InputShape(time: data.windowLength, channels: data.channelCount, classes: data.classNames.count))
    }

    func testEvaluatorReportsEveryBatchAndStopsWhenAsked() throws {
        var evaluator = Evaluator(model: try model(), dataset: Self.dataset)
        evaluator.batchSize = 16
        let windows = Self.dataset.indices(in: .test).count
        let batches = windows / 16 + (windows % 16 == 0 ? 0 : 1)
        XCTAssertGreaterThan(batches, 2)
        var reports: [[Int]] = []
        evaluator.progress = { reports.append([$0, $1]) }
        _ = try evaluator.evaluate(split: .test)
        XCTAssertEqual(reports, (1...batches).map { [$0, batches] })

        reports = []
        evaluator.shouldStop = { reports.count == 2 }
        XCTAssertThrowsError(try evaluator.evaluate(split: .test)) { error in
            XCTAssertEqual(error as? EvaluationStopped, EvaluationStopped(split: .test, batchesDone: 2, batches: batches))
            XCTAssertEqual("\(error)", "evaluation of the test split stopped after 2 of \(batches) batches")
        }
    }

    func testPlannedEpochsCountEveryRungOfTheSearch() throws {
        let space = try SearchSpace(parsing: "lr=1e-3..1e-2:log")
        // 4 trials, rungs [2, 6]: 4 × 2 epochs, then the best ⌈4/3⌉ = 2 trials 4 more each.
        let tuner = try Tuner(space: space, trials: 4, epochs: 6)
        XCTAssertEqual(tuner.rungs, [2, 6])
        XCTAssertEqual(tuner.plannedEpochs, 4 * 2 + 2 * 4)
        XCTAssertEqual(try Tuner(space: space, trials: 9, epochs: 2).plannedEpochs, 18, "one rung: every trial trains the budget")
    }

    /// Trains 4 trials of a tiny model for 16 epochs in all (a few seconds).
    func testTunerForwardsTheEventsOfEveryTrialAndTrainsThePlannedEpochs() throws {
        let tuner = try Tuner(space: try SearchSpace(parsing: "lr=1e-3..1e-2:log"), trials: 4, epochs: 6)
        var config = TrainingConfig()
        config.batchSize = 64
        var finished: [Int] = []
        _ = try tuner.run(dataset: Self.dataset, spec: try ModelSpec("sa", options: ["width": "4", "depth": "1"]), config: config,
                          events: { trial, event in if case .epochFinished = event { finished.append(trial) } })
        XCTAssertEqual(finished.count, tuner.plannedEpochs)
        XCTAssertEqual(Set(finished), [1, 2, 3, 4])
    }

    /// Trains 2 folds of 1 epoch of a tiny model.
    func testCrossValidationForwardsTheEventsOfEveryFold() throws {
        var config = TrainingConfig()
        config.batchSize = 64
        var started: [Int] = []
        _ = try CrossValidation(folds: .subjectGroups(2), epochs: 1).run(
            dataset: Self.dataset, spec: try ModelSpec("sa", options: ["width": "4", "depth": "1"]), config: config,
            events: { fold, event in if case .epochStarted = event { started.append(fold) } })
        XCTAssertEqual(started, [1, 2])
    }
}

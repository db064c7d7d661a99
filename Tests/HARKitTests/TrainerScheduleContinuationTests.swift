import Foundation
import XCTest
import Torch
@testable import HARKit
import TestSupport

/// `train(epochs:continuingSchedule:)`: each call restarts the learning-rate schedule unless asked to continue it
/// (issue 20 §2: `train 20` after `train 30` started again at the base rate). Expected rates are computed here
/// from the StepLR and cosine formulas, not read from the trainer.
final class TrainerScheduleContinuationTests: IsolatedTestCase {
    static let dataset: HARDataset = try! DatasetCatalog.load("synthetic", from: nil, options: ["window": "32", "overlap": "0"], dataDirectory: nil)

    private func makeTrainer(_ configure: (inout TrainingConfig) -> Void) throws -> Trainer {
        var config = TrainingConfig()
        config.batchSize = 128
        config.learningRate = 1e-2
        config.gamma = 0.5
        configure(&config)
        Runtime.manualSeed(1)
        let data = Self.dataset
        let model = try ModelFactory.make(try ModelSpec("sa", options: ["width": "4", "depth": "1"]),
                                          input: InputShape(time: data.windowLength, channels: data.channelCount, classes: data.classNames.count))
        return try Trainer(model: model, dataset: data, config: config)
    }

    private func rates(_ outcome: TrainingOutcome) -> [Double] { outcome.records.map(\.learningRate) }

    private func assertRates(_ actual: [Double], _ expected: [Double], _ message: String, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, message, line: line)
        for (a, e) in zip(actual, expected) { XCTAssertEqual(a, e, accuracy: 1e-12, message, line: line) }
    }

    func testStepScheduleRestartsUnlessContinued() throws {
        let trainer = try makeTrainer { $0.schedule = .step }
        XCTAssertNil(trainer.scheduleEpochsDone)
        assertRates(rates(try trainer.train(epochs: 3)), [1e-2, 5e-3, 2.5e-3], "auto step: a third of 3 epochs = 1")
        XCTAssertEqual(trainer.scheduleEpochsDone, 3)
        assertRates(rates(try trainer.train(epochs: 2, continuingSchedule: true)), [1.25e-3, 6.25e-4], "continued: epochs 4 and 5 of the schedule")
        XCTAssertEqual(trainer.scheduleEpochsDone, 5)
        assertRates(rates(try trainer.train(epochs: 2)), [1e-2, 5e-3], "a plain train starts again at the base rate")
        XCTAssertEqual(trainer.scheduleEpochsDone, 2)
    }

    func testAnExplicitStepPeriodCarriesOver() throws {
        let trainer = try makeTrainer { $0.schedule = .step; $0.stepSize = 2 }
        assertRates(rates(try trainer.train(epochs: 3)), [1e-2, 1e-2, 5e-3], "period 2")
        assertRates(rates(try trainer.train(epochs: 3, continuingSchedule: true)), [5e-3, 2.5e-3, 2.5e-3], "epochs 3…5 of period 2")
    }

    func testCosineSpansTheEarlierEpochsAndTheContinuedOnes() throws {
        let trainer = try makeTrainer { $0.schedule = .cosine }
        func cosine(_ epoch: Int, of span: Int) -> Double { 1e-2 * (1 + cos(Double.pi * Double(epoch) / Double(span))) / 2 }
        assertRates(rates(try trainer.train(epochs: 2)), [cosine(0, of: 2), cosine(1, of: 2)], "cosine over 2")
        assertRates(rates(try trainer.train(epochs: 2, continuingSchedule: true)), [cosine(2, of: 4), cosine(3, of: 4)],
                    "continued: one cosine over all 4 epochs")
    }

    func testContinuingWithoutAnEarlierTrainStartsAfresh() throws {
        let trainer = try makeTrainer { $0.schedule = .step }
        assertRates(rates(try trainer.train(epochs: 3, continuingSchedule: true)), [1e-2, 5e-3, 2.5e-3], "nothing to continue")
    }
}

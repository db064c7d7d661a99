import XCTest
import Torch
@testable import HARKit

final class TrainerTests: IsolatedTestCase {
    static let dataset: HARDataset = try! DatasetCatalog.load("synthetic", from: nil, options: [:], dataDirectory: nil)

    /// A small, fast configuration of the reference recipe.
    func makeTrainer(seed: UInt64 = 1, spec: String = "sa", options: [String: String] = ["width": "8"], configure: (inout TrainingConfig) -> Void = { _ in }) throws -> Trainer {
        var config = TrainingConfig()
        config.seed = seed
        config.batchSize = 64
        config.learningRate = 3e-3
        configure(&config)
        Runtime.manualSeed(seed)
        let data = Self.dataset
        let model = try ModelFactory.make(try ModelSpec(spec, options: options),
                                          input: InputShape(time: data.windowLength, channels: data.channelCount, classes: data.classNames.count))
        return try Trainer(model: model, dataset: data, config: config)
    }

    func testTrainingLowersTheLossAndBeatsChance() throws {
        let trainer = try makeTrainer()
        let outcome = try trainer.train(epochs: 3)
        XCTAssertEqual(outcome.reason, .completed)
        XCTAssertEqual(outcome.records.count, 3)
        XCTAssertLessThan(outcome.records.last!.trainLoss, outcome.records.first!.trainLoss)
        let test = try Evaluator(model: trainer.model, dataset: trainer.dataset).evaluate(split: .test)
        XCTAssertGreaterThan(test.metrics.accuracy, 1.5 / Double(trainer.dataset.classNames.count))
    }

    /// A model converted to float64 trains and evaluates in float64 from the float32 windows (what the equivalence test
    /// against PyTorch's float64 run relies on).
    func testAModelConvertedToFloat64TrainsAndEvaluatesInFloat64() throws {
        let trainer = try makeTrainer()
        try trainer.model.convert(to: .float64)
        let outcome = try trainer.train(epochs: 1)
        XCTAssertEqual(outcome.reason, .completed)
        XCTAssertTrue(trainer.model.parameters.allSatisfy { $0.dtype == .float64 })
        XCTAssertTrue(try trainer.optimizer.stateDict().entries.filter { $0.name.hasSuffix("exp_avg") }.allSatisfy { $0.tensor.dtype == .float64 })
        XCTAssertTrue(outcome.records[0].trainLoss.isFinite)
        XCTAssertNotNil(outcome.records[0].validationLoss, "validation ran on the float64 model")
    }

    func testSameSeedGivesBitIdenticalLossCurves() throws {
        let first = try makeTrainer(seed: 5).train(epochs: 2).records.map(\.trainLoss)
        let second = try makeTrainer(seed: 5).train(epochs: 2).records.map(\.trainLoss)
        XCTAssertEqual(first, second)
        let other = try makeTrainer(seed: 6).train(epochs: 2).records.map(\.trainLoss)
        XCTAssertNotEqual(first, other)
    }

    func testTrainContinuesEpochNumberingAndLiveLearningRateChanges() throws {
        let trainer = try makeTrainer { $0.schedule = .none }
        _ = try trainer.train(epochs: 1)
        var config = trainer.config
        config.learningRate = 1e-4
        try trainer.apply(config)
        XCTAssertEqual(trainer.optimizer.learningRate, 1e-4)
        let outcome = try trainer.train(epochs: 1)
        XCTAssertEqual(outcome.records.map(\.epoch), [2])
        XCTAssertEqual(outcome.records[0].learningRate, 1e-4)
    }

    func testStepScheduleHalvesEveryThirdOfTheEpochs() throws {
        let trainer = try makeTrainer()
        XCTAssertEqual((0..<6).map { trainer.learningRate(epochIndex: $0, of: 6) }, [3e-3, 3e-3, 1.5e-3, 1.5e-3, 7.5e-4, 7.5e-4])
    }

    func testCancellationKeepsTheFinishedBatchesWeights() throws {
        let trainer = try makeTrainer()
        let before = try trainer.model.parameters[0].cloned()
        var batches = 0
        let outcome = try trainer.train(epochs: 2, events: { if case .batchFinished = $0 { batches += 1 } }, shouldStop: { batches >= 2 })
        XCTAssertEqual(outcome.reason, .cancelled)
        XCTAssertEqual(batches, 2)
        XCTAssertFalse(try trainer.model.parameters[0].equal(before).all())
        XCTAssertTrue(trainer.history.isEmpty)
    }

    func testDivergedRunStopsAndRestoresTheLastGoodWeights() throws {
        let trainer = try makeTrainer { $0.learningRate = 1e12; $0.schedule = .none }
        let before = try trainer.model.stateDict().cloned()
        let outcome = try trainer.train(epochs: 3)
        guard case .diverged(let message) = outcome.reason else { return XCTFail("expected divergence, got \(outcome.reason)") }
        XCTAssertTrue(message.contains("learning rate"), message)
        for (name, tensor) in trainer.model.stateDict().entries where outcome.records.isEmpty {
            XCTAssertTrue(try tensor.equal(before[name]!).all(), name)
        }
        for p in trainer.model.parameters { XCTAssertTrue(try p.isFinite().all()) }
    }

    func testPenaltiesAreReportedSeparately() throws {
        let trainer = try makeTrainer { $0.l2 = 1e-3 }
        let record = try trainer.train(epochs: 1).records[0]
        XCTAssertGreaterThan(record.penaltyLoss, 0)
        let plain = try makeTrainer().train(epochs: 1).records[0]
        XCTAssertEqual(plain.penaltyLoss, 0)
    }

    func testEarlyStoppingRestoresTheBestEpoch() throws {
        let trainer = try makeTrainer { $0.patience = 1; $0.minDelta = 1.0 }
        let outcome = try trainer.train(epochs: 5)
        XCTAssertEqual(outcome.reason, .earlyStopped(bestEpoch: 1))
        XCTAssertEqual(outcome.records.count, 2)
        XCTAssertEqual(outcome.restoredEpoch, 1)
    }
}

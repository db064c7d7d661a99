import XCTest
import Torch
@testable import HARKit
import TestSupport

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

    /// The weights after each finished epoch, cloned, by epoch number (collected through the trainer's events).
    func weightsByEpoch(_ trainer: Trainer) -> (events: (TrainingEvent) -> Void, snapshots: () -> [Int: StateDict]) {
        var snapshots: [Int: StateDict] = [:]
        return ({ event in
            if case .epochFinished(let record) = event { snapshots[record.epoch] = try? trainer.model.stateDict().cloned() }
        }, { snapshots })
    }

    func assertWeights(_ trainer: Trainer, equal expected: StateDict?, _ message: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = try XCTUnwrap(expected, "\(message): no snapshot", file: file, line: line)
        for (name, tensor) in trainer.model.stateDict().entries {
            XCTAssertTrue(try tensor.equal(XCTUnwrap(expected[name])).all(), "\(message): \(name)", file: file, line: line)
        }
    }

    /// A run that diverges restores the weights of its last good epoch: the starting weights when it diverges in its
    /// first epoch, and those after epoch 1 when a later call diverges. The old test compared weights only when no
    /// epoch had finished. Broken version tried: `lastGood.restore` removed from `runEpochs`: both checks fail.
    func testDivergedRunStopsAndRestoresTheLastGoodWeights() throws {
        let trainer = try makeTrainer { $0.learningRate = 1e12; $0.schedule = .none }
        let before = try trainer.model.stateDict().cloned()
        let outcome = try trainer.train(epochs: 3)
        guard case .diverged(let message) = outcome.reason else { return XCTFail("expected divergence, got \(outcome.reason)") }
        XCTAssertTrue(message.contains("learning rate"), message)
        XCTAssertEqual(outcome.records.count, 0)
        XCTAssertNil(outcome.restoredEpoch)
        try assertWeights(trainer, equal: before, "diverged in epoch 1: the starting weights")
        for p in trainer.model.parameters { XCTAssertTrue(try p.isFinite().all()) }

        let later = try makeTrainer { $0.schedule = .none }
        let (events, snapshots) = weightsByEpoch(later)
        XCTAssertEqual(try later.train(epochs: 1, events: events).reason, .completed)
        var config = later.config
        config.learningRate = 1e12
        try later.apply(config)
        let diverged = try later.train(epochs: 3, events: events)
        guard case .diverged = diverged.reason else { return XCTFail("expected divergence, got \(diverged.reason)") }
        XCTAssertEqual(diverged.restoredEpoch, 1)
        try assertWeights(later, equal: snapshots()[1], "diverged after epoch 1: the weights after epoch 1")
    }

    /// A divergence message says "nan" for every NaN, whatever sign and payload the CPU gave it (an AMD Zen 3 made
    /// "-nan(0x3ffffe0000000)" of a diverging SGD step, which Swift prints as such), and names infinities.
    func testDivergenceMessagesNameEveryNaNAlike() {
        let negativeWithPayload = -Double(nan: 0x3ffff, signaling: false)
        XCTAssertNotEqual("\(negativeWithPayload)", "nan", "Swift prints the sign and payload")
        for value in [Double.nan, -Double.nan, negativeWithPayload] { XCTAssertEqual(Trainer.describe(loss: value), "nan") }
        XCTAssertEqual(Trainer.describe(loss: .infinity), "inf")
        XCTAssertEqual(Trainer.describe(loss: -.infinity), "-inf")
    }

    func testPenaltiesAreReportedSeparately() throws {
        let trainer = try makeTrainer { $0.l2 = 1e-3 }
        let record = try trainer.train(epochs: 1).records[0]
        XCTAssertGreaterThan(record.penaltyLoss, 0)
        let plain = try makeTrainer().train(epochs: 1).records[0]
        XCTAssertEqual(plain.penaltyLoss, 0)
    }

    /// Early stopping restores the best epoch's weights, checked against the weights recorded after that epoch (the old
    /// test checked only the `restoredEpoch` field). Broken version tried: `EarlyStopping.restoreBest` doing nothing:
    /// the field still says 1 but the weights are epoch 2's, and this fails.
    func testEarlyStoppingRestoresTheBestEpoch() throws {
        let trainer = try makeTrainer { $0.patience = 1; $0.minDelta = 1.0 }
        let (events, snapshots) = weightsByEpoch(trainer)
        let outcome = try trainer.train(epochs: 5, events: events)
        XCTAssertEqual(outcome.reason, .earlyStopped(bestEpoch: 1))
        XCTAssertEqual(outcome.records.count, 2)
        XCTAssertEqual(outcome.restoredEpoch, 1)
        XCTAssertEqual(Set(snapshots().keys), [1, 2])
        let name = trainer.model.namedParameters()[0].name
        XCTAssertFalse(try XCTUnwrap(snapshots()[1]?[name]).equal(XCTUnwrap(snapshots()[2]?[name])).all(), "premise: epoch 2 changed the weights")
        try assertWeights(trainer, equal: snapshots()[1], "the weights after epoch 1")
    }
}

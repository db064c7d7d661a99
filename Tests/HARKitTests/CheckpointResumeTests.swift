import Foundation
import Torch
import XCTest
@testable import HARKit
import TestSupport

/// Checkpoints of real trainers: resuming reproduces the losses of an uninterrupted run; evaluation needs no retraining.
final class CheckpointResumeTests: IsolatedTestCase {
    /// Every fourth window of the synthetic dataset (fast epochs).
    static let dataset: HARDataset = try! everyFourthWindow(of: DatasetCatalog.load("synthetic", from: nil, options: [:], dataDirectory: nil))

    func makeTrainer(_ configure: (inout TrainingConfig) -> Void = { _ in }) throws -> Trainer {
        var config = TrainingConfig()
        config.seed = 11
        config.batchSize = 64
        config.learningRate = 3e-3
        configure(&config)
        Runtime.manualSeed(config.seed)
        let data = Self.dataset
        let model = try ModelFactory.make(try ModelSpec("sa", options: ["width": "8"]),
                                          input: InputShape(time: data.windowLength, channels: data.channelCount, classes: data.classNames.count))
        return try Trainer(model: model, dataset: data, config: config)
    }

    func roundTrip(_ trainer: Trainer) throws -> Checkpoint {
        let url = try makeTemporaryFolder(self).appendingPathComponent("trainer.pt")
        try Checkpoint(trainer: trainer).write(to: url)
        return try Checkpoint(contentsOf: url)
    }

    func testResumingFromACheckpointReproducesTheUninterruptedLosses() throws {
        let uninterrupted = try makeTrainer { $0.schedule = .none }
        let expected = try uninterrupted.train(epochs: 4).records

        let interrupted = try makeTrainer { $0.schedule = .none }
        _ = try interrupted.train(epochs: 2)
        let checkpoint = try roundTrip(interrupted)
        _ = try Tensor.randn([1000])
        let resumed = try checkpoint.makeTrainer(dataset: Self.dataset)
        XCTAssertEqual(resumed.history.map(\.epoch), [1, 2])
        let continued = try resumed.train(epochs: 2).records

        XCTAssertEqual(continued.map(\.epoch), [3, 4])
        XCTAssertEqual(continued.map(\.trainLoss), Array(expected.suffix(2)).map(\.trainLoss), "bit-identical training losses")
        XCTAssertEqual(continued.map(\.validationMacroF1), Array(expected.suffix(2)).map(\.validationMacroF1))
        XCTAssertEqual(resumed.history.map(\.trainLoss), expected.map(\.trainLoss))
    }

    func testResumingContinuesExactlyAsTheSavedTrainerWouldWithItsSchedule() throws {
        let original = try makeTrainer { $0.optimizer = .adam; $0.schedule = .step }
        _ = try original.train(epochs: 2)
        let checkpoint = try roundTrip(original)
        let reference = try original.train(epochs: 2).records.map(\.trainLoss)

        let fresh = try makeTrainer()
        try checkpoint.restore(into: fresh)
        XCTAssertEqual(fresh.config.optimizer, .adam, "the saved settings are in effect")
        XCTAssertTrue(fresh.optimizer is Adam)
        XCTAssertEqual(try fresh.train(epochs: 2).records.map(\.trainLoss), reference)
    }

    func testLoadedModelEvaluatesLikeTheSavedOneWithoutTraining() throws {
        let trainer = try makeTrainer()
        _ = try trainer.train(epochs: 1)
        let before = try Evaluator(model: trainer.model, dataset: Self.dataset).evaluate(split: .test)
        let checkpoint = try roundTrip(trainer)
        let after = try Evaluator(model: try checkpoint.makeModel(), dataset: try checkpoint.prepared(Self.dataset)).evaluate(split: .test)
        XCTAssertEqual(after.predictions, before.predictions)
        XCTAssertEqual(after.metrics, before.metrics)
    }

    func testPreparedRescalesRawWindowsWithTheCheckpointStatistics() throws {
        let trainer = try makeTrainer()
        let checkpoint = try Checkpoint(trainer: trainer)
        let normalized = Self.dataset
        let stats = normalized.protocolDescription
        XCTAssertTrue(stats.normalized)
        var raw = normalized
        let channels = raw.channelCount
        for index in raw.windows.indices { raw.windows[index] = raw.windows[index] * stats.std[index % channels] + stats.mean[index % channels] }
        raw.protocolDescription.normalized = false
        raw.protocolDescription.mean = []
        raw.protocolDescription.std = []
        let prepared = try checkpoint.prepared(raw)
        XCTAssertEqual(prepared.protocolDescription.mean, stats.mean)
        let worst = zip(prepared.windows, normalized.windows).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThan(worst, 1e-4)
        XCTAssertTrue(try checkpoint.prepared(normalized).windows == normalized.windows, "data scaled like the checkpoint's stays as it is")
    }

    func testDatasetWithOtherChannelsIsRefusedWithoutTouchingTheTrainer() throws {
        let trainer = try makeTrainer()
        _ = try trainer.train(epochs: 1)
        let checkpoint = try Checkpoint(trainer: trainer)
        var other = Self.dataset
        other.channelNames[0] = "other_x"
        XCTAssertThrowsError(try checkpoint.makeTrainer(dataset: other)) { XCTAssertTrue("\($0)".contains("lacking \(Self.dataset.channelNames[0])"), "\($0)") }
        XCTAssertThrowsError(try checkpoint.prepared(other))

        var widerConfig = TrainingConfig()
        widerConfig.seed = 99
        let unrelated = try Trainer(model: try ModelFactory.make(try ModelSpec("cnn", options: ["width": "8"]), input: trainer.model.inputShape),
                                    dataset: Self.dataset, config: widerConfig)
        let weights = try unrelated.model.parameters[0].scalars(as: Float.self)
        XCTAssertThrowsError(try checkpoint.restore(into: unrelated)) { XCTAssertTrue("\($0)".contains("the current model is 'cnn width=8'"), "\($0)") }
        XCTAssertEqual(unrelated.config, widerConfig, "settings are put back")
        XCTAssertEqual(unrelated.history, [])
        XCTAssertEqual(try unrelated.model.parameters[0].scalars(as: Float.self), weights)
    }

    /// bfloat16 autocast computes in bfloat16 but keeps float32 master weights and optimizer moments: a checkpoint saved
    /// after bfloat16 training holds only float32 floating-point tensors (and reloads into a model that evaluates in float32).
    func testCheckpointAfterBFloat16TrainingHoldsFloat32Tensors() throws {
        let trainer = try makeTrainer { $0.mixedPrecision = .on; $0.optimizer = .adamw }
        XCTAssertEqual(trainer.precision.precision, .bfloat16)
        _ = try trainer.train(epochs: 1)
        let checkpoint = try roundTrip(trainer)
        // The optimizer's hyperparameters (`param_groups.*`) are float64 scalars, as PyTorch's Python floats; not trained.
        let trained = checkpoint.weights.entries + checkpoint.optimizerState.entries.filter { !$0.name.contains("param_groups") }
        let floating = trained.filter { $0.tensor.dtype.isFloatingPoint }
        XCTAssertTrue(floating.contains { $0.name.contains("exp_avg") }, "premise: the AdamW moments are in the checkpoint")
        for entry in floating {
            XCTAssertEqual(entry.tensor.dtype, .float32, entry.name)
        }
        XCTAssertEqual(checkpoint.metadata.config.mixedPrecision, .on, "the setting is saved as it was")
        XCTAssertTrue(try checkpoint.makeModel().parameters.allSatisfy { $0.dtype == .float32 })
    }

}

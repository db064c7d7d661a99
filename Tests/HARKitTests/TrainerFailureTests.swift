import XCTest
import Torch
@testable import HARKit
import TestSupport

/// A `train` call that throws part-way changes nothing: the shell's "a failed command leaves the session as it
/// was" rests on it, since the model and its optimizer are objects the command changes in place.
final class TrainerFailureTests: IsolatedTestCase {
    /// Every tensor of `state`, by name, as float64 values.
    private func values(_ state: StateDict) throws -> [String: [Double]] {
        Dictionary(uniqueKeysWithValues: try state.entries.map { ($0.name, try $0.tensor.scalars(as: Double.self)) })
    }

    func testATrainCallThatFailsMidEpochRestoresWeightsOptimizerRateAndHistory() throws {
        let data = try everyFourthWindow(of: DatasetCatalog.load("synthetic", from: nil, options: [:], dataDirectory: nil))
        var config = TrainingConfig()
        config.batchSize = 16
        Runtime.manualSeed(1)
        let model = try ModelFactory.make(try ModelSpec("sa", options: ["width": "4", "depth": "1"]),
                                          input: InputShape(time: data.windowLength, channels: data.channelCount, classes: data.classNames.count))
        let trainer = try Trainer(model: model, dataset: data, config: config)
        _ = try trainer.train(epochs: 1)
        let (weights, moments, rate, history) = (try values(model.stateDict()), try values(trainer.optimizer.stateDict()),
                                                 trainer.optimizer.learningRate, trainer.history)

        // The same windows with the last training window labelled as a class the model does not have: the
        // batches before it update the model, then the loss fails.
        let train = data.indices(in: .train)
        var labels = data.labels
        labels[train[train.count - 1]] = data.classNames.count + 1
        let broken = try HARDataset(name: data.name, windows: data.windows, labels: labels, subjects: data.subjects, splits: data.splits,
                                    classNames: data.classNames + ["x", "y"], channelNames: data.channelNames, sampleRate: data.sampleRate,
                                    windowLength: data.windowLength, protocolDescription: data.protocolDescription)
        let batcher = try Batcher(dataset: broken, split: .train, batchSize: 16, shuffle: false, seed: 0, augmentation: nil)
        var finishedBatches = 0
        XCTAssertThrowsError(try trainer.train(epochs: 2, batcher: batcher, events: { event in
            if case .batchFinished = event { finishedBatches += 1 }
        }, shouldStop: { false }))
        XCTAssertGreaterThan(finishedBatches, 3, "several optimizer steps ran before the failure")

        XCTAssertTrue(try values(model.stateDict()) == weights, "the weights the call started from")
        XCTAssertTrue(try values(trainer.optimizer.stateDict()) == moments, "the optimizer state the call started from")
        XCTAssertEqual(trainer.optimizer.learningRate, rate)
        XCTAssertEqual(trainer.history.map(\.epoch), history.map(\.epoch))
        XCTAssertEqual(try trainer.train(epochs: 1).records.map(\.epoch), [2], "training continues where the last good call ended")
    }
}

import Foundation
import Torch
import XCTest
@testable import HARKit
import TestSupport

/// Starting a model from a trained one's weights (issue 18 §2): weights really copied, a new head for other classes,
/// channels matched by name, and a frozen or slower stem while fine-tuning.
final class WeightTransferTests: IsolatedTestCase {
    static let channels = ["a_x", "a_y", "a_z", "g_x"]
    static let classes = ["walk", "sit", "lie"]

    /// A `cnn` (conv stem, pooled head) trained one AdamW step on random windows, and its checkpoint.
    func trained(_ spec: String = "cnn") throws -> (any HARModel, Checkpoint) {
        Runtime.manualSeed(7)
        let input = InputShape(time: 16, channels: 4, classes: 3)
        let model = try ModelFactory.make(try ModelSpec(spec, options: ["width": "4", "depth": "2"]), input: input)
        let optimizer = AdamW(model.parameters, learningRate: 1e-2)
        let x = try Tensor.randn([6, 1, 16, 4]), y = try Tensor([0, 1, 2, 0, 1, 2] as [Int64], shape: [6])
        try Functional.crossEntropy(logits: try model(x), labels: y).backward()
        try optimizer.step()
        let dataset = CheckpointDataset(name: "source", classNames: Self.classes, channelNames: Self.channels, sampleRate: 25,
                                        windowLength: 16, preprocessing: samplePreprocessing)
        return (model, try Checkpoint(model: model, optimizer: optimizer, config: TrainingConfig(), dataset: dataset, history: []))
    }

    /// A fresh model of the checkpoint's spec for `channels` × `classes` (another seed: nothing matches by chance).
    func fresh(_ checkpoint: Checkpoint, channels: Int = 4, classes: Int = 3) throws -> any HARModel {
        try ModelFactory.make(try checkpoint.metadata.modelSpec(), input: InputShape(time: 16, channels: channels, classes: classes), seed: 99)
    }

    func values(_ tensor: Tensor?) throws -> [Float] { try XCTUnwrap(tensor).converted(to: .float32).scalars(as: Float.self) }

    /// Same channels and classes: every tensor (weights and batch-norm statistics) equals the trained model's.
    func testEveryTensorIsCopiedForTheSameChannelsAndClasses() throws {
        let (source, checkpoint) = try trained()
        let model = try fresh(checkpoint)
        XCTAssertNotEqual(try values(model.stateDict()["head.weight"]), try values(source.stateDict()["head.weight"]), "premise")
        let transfer = try checkpoint.transfer(into: model, channelNames: Self.channels, classNames: Self.classes)
        XCTAssertTrue(transfer.fresh.isEmpty && transfer.remapped.isEmpty)
        for (name, tensor) in source.stateDict().entries {
            XCTAssertEqual(try values(model.stateDict()[name]), try values(tensor), name)
        }
        XCTAssertEqual(transfer.copied.count, source.stateDict().entries.count)
    }

    /// Other classes: the head is new (shape for the new classes, its initial values kept), the stem copied.
    func testOtherClassesGetANewHeadAndKeepTheStem() throws {
        let (source, checkpoint) = try trained()
        let model = try fresh(checkpoint, classes: 5)
        let initialHead = try values(model.stateDict()["head.weight"])
        let transfer = try checkpoint.transfer(into: model, channelNames: Self.channels, classNames: ["a", "b", "c", "d", "e"])
        XCTAssertEqual(transfer.fresh, ["head.weight", "head.bias"])
        XCTAssertEqual(model.stateDict()["head.weight"]?.shape.first, 5)
        XCTAssertEqual(try values(model.stateDict()["head.weight"]), initialHead)
        for name in transfer.copied {
            XCTAssertTrue(name.hasPrefix("body."), name)
            XCTAssertEqual(try values(model.stateDict()[name]), try values(source.stateDict()[name]), name)
        }
        XCTAssertFalse(transfer.copied.isEmpty)
    }

    /// Reordered channels: the model reads the reordered windows exactly as the trained one read the originals (same
    /// logits), and a subset takes the head's columns of the channels it keeps.
    func testReorderedAndSubsetChannelsTakeTheWeightsOfTheSameNames() throws {
        let (source, checkpoint) = try trained()
        let order = [2, 0, 3, 1]
        let model = try fresh(checkpoint)
        let transfer = try checkpoint.transfer(into: model, channelNames: order.map { Self.channels[$0] }, classNames: Self.classes)
        XCTAssertEqual(transfer.channelMap, order)
        XCTAssertEqual(transfer.remapped, ["head.weight"])
        source.setTraining(false)
        model.setTraining(false)
        let x = try Tensor.randn([3, 1, 16, 4])
        let reordered = try x.indexSelected(axis: 3, indices: try Tensor(order.map(Int64.init), shape: [4]))
        let expected = try values(try source(x)), actual = try values(try model(reordered))
        XCTAssertLessThanOrEqual(zip(expected, actual).map { abs($0 - $1) }.max() ?? 1, 1e-5, "\(actual) vs \(expected)")

        let subset = try fresh(checkpoint, channels: 2)
        _ = try checkpoint.transfer(into: subset, channelNames: ["g_x", "a_y"], classNames: Self.classes)
        let saved = try values(source.stateDict()["head.weight"]), kept = try values(subset.stateDict()["head.weight"])
        let features = saved.count / (3 * 4)
        for k in 0..<3 {
            for f in 0..<features {
                XCTAssertEqual(kept[k * features * 2 + f * 2], saved[k * features * 4 + f * 4 + 3], "class \(k) feature \(f) g_x")
                XCTAssertEqual(kept[k * features * 2 + f * 2 + 1], saved[k * features * 4 + f * 4 + 1], "class \(k) feature \(f) a_y")
            }
        }
    }

    /// Channels the trained model never read fail, naming them, and leave the model as it was.
    func testChannelsTheCheckpointLacksFailNamingThem() throws {
        let (_, checkpoint) = try trained()
        let model = try fresh(checkpoint)
        let before = try values(model.stateDict()["head.weight"])
        XCTAssertThrowsError(try checkpoint.transfer(into: model, channelNames: ["a_x", "m_x", "a_z", "m_y"], classNames: Self.classes)) { error in
            XCTAssertTrue("\(error)".contains("channels m_x, m_y"), "\(error)")
        }
        XCTAssertEqual(try values(model.stateDict()["head.weight"]), before)
    }

    /// `stemLearningRate` 0 leaves every stem weight as it was after training while the head moves; 0.1 moves the
    /// stem exactly a tenth of the full step (plain SGD, one step from the same start and batch).
    func testAFrozenStemStaysAndASlowStemTakesAScaledStep() throws {
        let dataset = try ClassImbalanceTests.imbalanced(count: 40, rareShare: 0.5, shift: 1, seed: 3)
        func stepped(_ scale: Double?) throws -> (stem: [[Float]], head: [Float]) {
            var config = TrainingConfig()
            (config.optimizer, config.momentum, config.weightDecay, config.learningRate, config.schedule) = (.sgd, 0, 0, 0.1, .none)
            (config.batchSize, config.validationFraction, config.mixedPrecision, config.stemLearningRate) = (64, 0, .off, scale)
            let model = try ModelFactory.make(try ModelSpec("cnn", options: ["width": "4", "depth": "1"]),
                                              input: InputShape(time: 4, channels: 2, classes: 2), seed: 5)
            let trainer = try Trainer(model: model, dataset: dataset, config: config)
            _ = try trainer.train(epochs: 1)
            let named = model.namedParameters()
            return (try named.filter { $0.name.hasPrefix("body.") }.map { try values($0.tensor) },
                    try values(named.first { $0.name == "head.weight" }?.tensor))
        }
        let start = try ModelFactory.make(try ModelSpec("cnn", options: ["width": "4", "depth": "1"]),
                                          input: InputShape(time: 4, channels: 2, classes: 2), seed: 5)
        let initialStem = try start.namedParameters().filter { $0.name.hasPrefix("body.") }.map { try values($0.tensor) }
        let initialHead = try values(start.namedParameters().first { $0.name == "head.weight" }?.tensor)
        let frozen = try stepped(0), slow = try stepped(0.1), full = try stepped(nil)
        XCTAssertFalse(initialStem.isEmpty)
        XCTAssertEqual(frozen.stem, initialStem, "the frozen stem is unchanged")
        XCTAssertNotEqual(frozen.head, initialHead, "the head trained")
        XCTAssertEqual(slow.head, full.head, "the head's learning rate is untouched")
        var largest: Float = 0
        for (index, weights) in initialStem.enumerated() {
            let fullStep = zip(full.stem[index], weights).map { $0 - $1 }, slowStep = zip(slow.stem[index], weights).map { $0 - $1 }
            largest = max(largest, fullStep.map(abs).max() ?? 0)
            XCTAssertLessThanOrEqual(zip(slowStep, fullStep).map { abs($0 - 0.1 * $1) }.max() ?? 1, 1e-6, "stem tensor \(index)")
        }
        XCTAssertGreaterThan(largest, 1e-3, "premise: the stem moves (a convolution's bias before batch norm gets no gradient)")
    }
}

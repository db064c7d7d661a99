import Foundation
import Torch
import XCTest
@testable import HARKit
import TestSupport

final class CheckpointTests: IsolatedTestCase {
    let shape = InputShape(time: 20, channels: 5, classes: 3)
    lazy var dataset = CheckpointDataset(name: "tiny", classNames: ["walk", "sit", "lie"], channelNames: ["a_x", "a_y", "a_z", "g_x", "g_y"],
                                         sampleRate: 50, windowLength: 20, preprocessing: samplePreprocessing)

    /// A small model after one AdamW step on fixed data, with the batch used.
    func trainedModel(_ spec: String = "sa", width: String = "4") throws -> (any HARModel, AdamW, Tensor, Tensor) {
        Runtime.manualSeed(7)
        let model = try ModelFactory.make(try ModelSpec(spec, options: ["width": width]), input: shape)
        let optimizer = AdamW(model.parameters, learningRate: 1e-2, weightDecay: 1e-3)
        let x = try Tensor.randn([6, 1, 20, 5]), y = try Tensor([0, 1, 2, 0, 1, 2] as [Int64], shape: [6])
        try step(model, optimizer, x, y)
        return (model, optimizer, x, y)
    }

    func step(_ model: any HARModel, _ optimizer: AdamW, _ x: Tensor, _ y: Tensor) throws {
        model.setTraining(false)
        try optimizer.zeroGrad()
        try Functional.crossEntropy(logits: try model(x), labels: y).backward()
        try optimizer.step()
    }

    func history() -> [EpochRecord] {
        var diverged = sampleEpoch(2)
        diverged.trainLoss = .infinity
        return [sampleEpoch(1), diverged]
    }

    func testCheckpointRoundTripsWeightsOptimizerRandomStateAndMetadata() throws {
        let (model, optimizer, _, _) = try trainedModel()
        var config = TrainingConfig()
        config.dropout = 0.1
        config.seed = 42
        let saved = try Checkpoint(model: model, optimizer: optimizer, config: config, dataset: dataset, history: history(),
                                   savedAt: Date(timeIntervalSince1970: 1_800_000_000.25))
        let url = try makeTemporaryFolder(self).appendingPathComponent("model.pt")
        try saved.write(to: url)
        let loaded = try Checkpoint(contentsOf: url)

        XCTAssertEqual(loaded.metadata.format, 1)
        XCTAssertEqual(loaded.metadata.modelName, "sa")
        XCTAssertEqual(loaded.metadata.modelOptions, ["width": 4])
        XCTAssertEqual(try loaded.metadata.modelSpec(), model.spec)
        XCTAssertEqual(loaded.metadata.input, shape)
        XCTAssertEqual(loaded.metadata.config, config)
        XCTAssertEqual(loaded.metadata.epoch, 2)
        XCTAssertEqual(loaded.metadata.learningRate, 1e-2)
        XCTAssertEqual(loaded.metadata.history.count, 2)
        XCTAssertEqual(loaded.metadata.history[0], sampleEpoch(1))
        XCTAssertEqual(loaded.metadata.history[1].trainLoss, .infinity)
        XCTAssertEqual(loaded.metadata.dataset, dataset)
        XCTAssertEqual(loaded.metadata.versions, HARKit.versions)
        XCTAssertEqual(loaded.metadata.savedAt, Date(timeIntervalSince1970: 1_800_000_000.25))

        XCTAssertEqual(loaded.weights.names, model.stateDict().names)
        for (name, tensor) in model.stateDict().entries {
            XCTAssertEqual(try loaded.weights[name]!.scalars(as: Float.self), try tensor.scalars(as: Float.self), name)
        }
        let optimizerState = try optimizer.stateDict()
        XCTAssertEqual(loaded.optimizerState.names, optimizerState.names)
        XCTAssertTrue(loaded.optimizerState.names.contains("state.0.exp_avg"))
        for (name, tensor) in optimizerState.entries {
            XCTAssertEqual(try loaded.optimizerState[name]!.scalars(as: Double.self), try tensor.scalars(as: Double.self), name)
        }
        XCTAssertEqual(try loaded.randomState?.scalars(as: UInt8.self), try saved.randomState?.scalars(as: UInt8.self))
    }

    func testFileHoldsWeightsUnderPyTorchNamesBesideHarlabEntries() throws {
        let (model, optimizer, _, _) = try trainedModel()
        let url = try makeTemporaryFolder(self).appendingPathComponent("model.pt")
        try Checkpoint(model: model, optimizer: optimizer, config: TrainingConfig(), dataset: dataset, history: []).write(to: url)
        let raw = try StateDict(contentsOf: url)
        XCTAssertEqual(Array(raw.names.prefix(model.stateDict().names.count)), model.stateDict().names)
        XCTAssertTrue(raw.names.contains("body.0.weight"))
        XCTAssertTrue(raw.names.contains("optimizer.state.0.exp_avg_sq"))
        XCTAssertEqual(Array(raw.names.suffix(3)), ["harlab.rng", "harlab.meta", "harlab.checksum"])
        let json = try JSONSerialization.jsonObject(with: Data(try raw["harlab.meta"]!.scalars(as: UInt8.self))) as? [String: Any]
        XCTAssertEqual(json?["modelName"] as? String, "sa")
        XCTAssertEqual((json?["dataset"] as? [String: Any])?["classNames"] as? [String], ["walk", "sit", "lie"])
    }

    func testRestoredModelGivesTheSameOutputsAndNextOptimizerStep() throws {
        let (model, optimizer, x, y) = try trainedModel()
        let url = try makeTemporaryFolder(self).appendingPathComponent("model.pt")
        try Checkpoint(model: model, optimizer: optimizer, config: TrainingConfig(), dataset: dataset, history: []).write(to: url)
        let checkpoint = try Checkpoint(contentsOf: url)

        let restored = try checkpoint.makeModel()
        restored.setTraining(false)
        model.setTraining(false)
        XCTAssertEqual(try restored(x).scalars(as: Float.self), try model(x).scalars(as: Float.self))

        let restoredOptimizer = AdamW(restored.parameters, learningRate: 0.5, weightDecay: 0)
        try checkpoint.restore(into: restored, optimizer: restoredOptimizer)
        XCTAssertEqual(restoredOptimizer.learningRate, 1e-2)
        try step(model, optimizer, x, y)
        try step(restored, restoredOptimizer, x, y)
        for ((name, a), (_, b)) in zip(model.stateDict().entries, restored.stateDict().entries) {
            XCTAssertEqual(try a.scalars(as: Float.self), try b.scalars(as: Float.self), "second step of \(name)")
        }
    }

    func testRandomStateIsRestored() throws {
        let (model, optimizer, _, _) = try trainedModel()
        let checkpoint = try Checkpoint(model: model, optimizer: optimizer, config: TrainingConfig(), dataset: dataset, history: [])
        let expected = try Tensor.rand([8]).scalars(as: Float.self)
        _ = try Tensor.rand([100])
        try checkpoint.restoreRandomState()
        XCTAssertEqual(try Tensor.rand([8]).scalars(as: Float.self), expected)
    }

    func testAnotherModelOrShapeIsRefusedAndKeepsItsWeights() throws {
        let (model, optimizer, _, _) = try trainedModel("sa", width: "4")
        let checkpoint = try Checkpoint(model: model, optimizer: optimizer, config: TrainingConfig(), dataset: dataset, history: [])
        let others: [any HARModel] = [
            try ModelFactory.make(try ModelSpec("cnn", options: ["width": "4"]), input: shape),
            try ModelFactory.make(try ModelSpec("sa", options: ["width": "8"]), input: shape),
            try ModelFactory.make(try ModelSpec("sa", options: ["width": "4"]), input: InputShape(time: 24, channels: 5, classes: 3)),
        ]
        for other in others {
            let before = try other.stateDict().entries.map { try $0.tensor.scalars(as: Float.self) }
            XCTAssertThrowsError(try checkpoint.restore(into: other, optimizer: nil)) { error in
                XCTAssertTrue(error is CheckpointError)
                XCTAssertTrue("\(error)".contains("the checkpoint holds model 'sa width=4' for 20×5 → 3 classes (dataset 'tiny')"), "\(error)")
                XCTAssertTrue("\(error)".contains("the current model is '\(other.spec)' for \(other.inputShape)"), "\(error)")
            }
            XCTAssertEqual(try other.stateDict().entries.map { try $0.tensor.scalars(as: Float.self) }, before)
        }
    }

    func testOptimizerStateThatDoesNotFitLeavesTheModelUnchanged() throws {
        let (model, optimizer, _, _) = try trainedModel()
        var checkpoint = try Checkpoint(model: model, optimizer: optimizer, config: TrainingConfig(), dataset: dataset, history: [])
        checkpoint.optimizerState.set("state.0.exp_avg", try Tensor.zeros([2, 2]))
        let fresh = try ModelFactory.make(model.spec, input: shape)
        let before = try fresh.stateDict().entries.map { try $0.tensor.scalars(as: Float.self) }
        XCTAssertThrowsError(try checkpoint.restore(into: fresh, optimizer: AdamW(fresh.parameters))) { error in
            XCTAssertTrue("\(error)".contains("optimizer state does not fit"), "\(error)")
        }
        XCTAssertEqual(try fresh.stateDict().entries.map { try $0.tensor.scalars(as: Float.self) }, before)
    }

    func testDatasetOfAnotherShapeIsRefusedWhenSaving() throws {
        let (model, optimizer, _, _) = try trainedModel()
        var wide = dataset
        wide.channelNames.append("g_z")
        XCTAssertThrowsError(try Checkpoint(model: model, optimizer: optimizer, config: TrainingConfig(), dataset: wide, history: [])) { error in
            XCTAssertEqual("\(error)", "dataset 'tiny' has windows 20×6 → 3 classes but the model was built for 20×5 → 3 classes")
        }
    }

    func testCompatibilityNamesTheChannelsWindowOrClassesThatDiffer() throws {
        let (model, optimizer, _, _) = try trainedModel()
        let checkpoint = try Checkpoint(model: model, optimizer: optimizer, config: TrainingConfig(), dataset: dataset, history: [])
        XCTAssertNoThrow(try checkpoint.checkCompatible(with: dataset))
        var other = dataset
        other.channelNames[4] = "m_x"
        XCTAssertThrowsError(try checkpoint.checkCompatible(with: other)) { XCTAssertTrue("\($0)".contains("lacking g_y"), "\($0)") }
        other = dataset
        other.channelNames.swapAt(0, 1)
        XCTAssertThrowsError(try checkpoint.checkCompatible(with: other)) { XCTAssertTrue("\($0)".contains("in another order"), "\($0)") }
        other = dataset
        other.windowLength = 40
        XCTAssertThrowsError(try checkpoint.checkCompatible(with: other)) { XCTAssertTrue("\($0)".contains("windows of 40 steps"), "\($0)") }
        other = dataset
        other.classNames = ["walk", "run", "lie"]
        XCTAssertThrowsError(try checkpoint.checkCompatible(with: other)) { XCTAssertTrue("\($0)".contains("predicts walk, sit, lie"), "\($0)") }
    }

    func testTruncatedFilesAreRefusedAtAnyLength() throws {
        let (model, optimizer, _, _) = try trainedModel()
        let folder = try makeTemporaryFolder(self)
        let url = folder.appendingPathComponent("model.pt")
        try Checkpoint(model: model, optimizer: optimizer, config: TrainingConfig(), dataset: dataset, history: history()).write(to: url)
        let bytes = try Data(contentsOf: url)
        // Seeded, so that a failing length is the same on the next run (a system generator made each run test other lengths).
        var generator = SeededGenerator(seed: 20_261_201, stream: 1)
        let lengths = [0, 1, 100, bytes.count / 2, bytes.count - 1] + (0..<25).map { _ in Int.random(in: 0..<bytes.count, using: &generator) }
        let damaged = folder.appendingPathComponent("damaged.pt")
        for length in lengths {
            try bytes.prefix(length).write(to: damaged)
            XCTAssertThrowsError(try Checkpoint(contentsOf: damaged), "truncated to \(length) of \(bytes.count) bytes") { error in
                XCTAssertTrue(error is CheckpointError)
                XCTAssertTrue("\(error)".contains(damaged.path), "\(error)")
            }
        }
    }

    func testFlippedBytesAreRefusedOrChangeNothing() throws {
        let (model, optimizer, _, _) = try trainedModel()
        let folder = try makeTemporaryFolder(self)
        let url = folder.appendingPathComponent("model.pt")
        let original = try Checkpoint(model: model, optimizer: optimizer, config: TrainingConfig(), dataset: dataset, history: history())
        try original.write(to: url)
        let bytes = try Data(contentsOf: url)
        let damaged = folder.appendingPathComponent("damaged.pt")
        var refused = 0
        // Seeded, so that a byte that slips through is flipped again on the next run.
        var generator = SeededGenerator(seed: 20_261_201, stream: 2)
        for _ in 0..<60 {
            var copy = bytes
            let position = Int.random(in: 0..<copy.count, using: &generator)
            copy[position] ^= UInt8.random(in: 1...255, using: &generator)
            try copy.write(to: damaged)
            do {
                let loaded = try Checkpoint(contentsOf: damaged)
                XCTAssertEqual(loaded.metadata, original.metadata, "byte \(position) changed the metadata silently")
                for (name, tensor) in original.weights.entries {
                    XCTAssertEqual(try loaded.weights[name]?.scalars(as: Float.self), try tensor.scalars(as: Float.self), "byte \(position) changed \(name) silently")
                }
            } catch let error as CheckpointError {
                XCTAssertTrue(error.message.contains(damaged.path), error.message)
                refused += 1
            }
        }
        XCTAssertGreaterThan(refused, 30, "most flipped bytes lie in tensor data and must be caught")
    }

    /// The fixture was written by this file's `trainedModel()` through `Checkpoint.write` (see check_checkpoint.py).
    func testCommittedFormat1CheckpointStillLoads() throws {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/checkpoints/sa_w4_format1", withExtension: "pt"))
        let checkpoint = try Checkpoint(contentsOf: url)
        XCTAssertEqual(checkpoint.metadata.format, 1)
        XCTAssertEqual(checkpoint.metadata.input, shape)
        XCTAssertEqual(checkpoint.metadata.dataset.classNames, ["walk", "sit", "lie"])
        XCTAssertEqual(checkpoint.metadata.dataset.preprocessing.mean, samplePreprocessing.mean)
        let (model, _, x, _) = try trainedModel()
        let restored = try checkpoint.makeModel()
        restored.setTraining(false)
        model.setTraining(false)
        try assertClose(try restored(x), try model(x), tolerance: 1e-5)
    }

    func testPlainTensorDictIsNotTakenForACheckpoint() throws {
        let url = try makeTemporaryFolder(self).appendingPathComponent("weights.pt")
        try StateDict([("body.0.weight", try Tensor.zeros([2]))]).write(to: url)
        XCTAssertThrowsError(try Checkpoint(contentsOf: url)) { error in
            XCTAssertEqual("\(error)", "'\(url.path)' holds tensors but no harlab metadata (entry 'harlab.meta'); it is not a harlab checkpoint")
        }
        XCTAssertThrowsError(try Checkpoint(contentsOf: url.appendingPathExtension("missing"))) { error in
            XCTAssertEqual("\(error)", "no checkpoint at '\(url.path).missing'")
        }
    }

    func testCheckpointFromANewerFormatIsRefused() throws {
        let (model, optimizer, _, _) = try trainedModel()
        var checkpoint = try Checkpoint(model: model, optimizer: optimizer, config: TrainingConfig(), dataset: dataset, history: [])
        checkpoint.metadata.format = 2
        let url = try makeTemporaryFolder(self).appendingPathComponent("future.pt")
        try checkpoint.write(to: url)
        XCTAssertThrowsError(try Checkpoint(contentsOf: url)) { error in
            XCTAssertTrue("\(error)".contains("has format 2, written by a newer harlab"), "\(error)")
        }
    }

    func testUnwritablePathFailsAndLeavesNothingBehind() throws {
        let (model, optimizer, _, _) = try trainedModel()
        let checkpoint = try Checkpoint(model: model, optimizer: optimizer, config: TrainingConfig(), dataset: dataset, history: [])
        let folder = try makeTemporaryFolder(self)
        XCTAssertThrowsError(try checkpoint.write(to: folder.appendingPathComponent("missing/model.pt"))) { error in
            XCTAssertTrue("\(error)".hasPrefix("cannot save checkpoint: cannot write '\(folder.path)/missing/model.pt'"), "\(error)")
        }
        let occupied = folder.appendingPathComponent("occupied")
        try FileManager.default.createDirectory(at: occupied.appendingPathComponent("inside"), withIntermediateDirectories: true)
        XCTAssertThrowsError(try checkpoint.write(to: occupied))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["occupied"], "no temporary file is left")
    }
}

final class CheckpointChecksumTests: IsolatedTestCase {
    /// The standard check value of CRC-32/ISO-HDLC (zlib's crc32) for "123456789".
    func testCRC32MatchesTheStandardCheckValue() {
        var crc = CRC32()
        crc.add(Array("12345".utf8))
        crc.add(Array("6789".utf8))
        XCTAssertEqual(crc.value, 0xCBF4_3926)
    }
}

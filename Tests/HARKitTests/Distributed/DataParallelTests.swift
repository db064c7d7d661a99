import Foundation
import XCTest
@testable import HARKit
import TestSupport
import Torch

/// The pieces of a data-parallel job, with ranks as threads of this process on loopback: how a global batch is
/// shared, the weight check at an epoch's end, the rendezvous fingerprints, a rank claimed twice.
final class DataParallelTests: IsolatedTestCase {
    /// Joins `worldSize` ranks (`ranks` lists the RANK each thread claims; by default 0..<worldSize) and runs `body`
    /// on each joined rank; returns each thread's result or error.
    private func job<T>(worldSize: Int, ranks: [Int]? = nil, timeout: TimeInterval = 20,
                        _ body: @escaping (DataParallel) throws -> T) throws -> [Result<T, Error>] {
        let port = try LoopbackPort.free()
        let claims = ranks ?? Array(0..<worldSize)
        let results = Slots<Result<T, Error>>(count: claims.count)
        let done = DispatchGroup()
        for (slot, rank) in claims.enumerated() {
            done.enter()
            Thread {
                results.set(slot, Result {
                    let launch = LaunchEnvironment(masterAddress: "127.0.0.1", masterPort: port, rank: rank, worldSize: worldSize,
                                                   localRank: rank, localWorldSize: nil, timeout: timeout, interface: nil, agentStorePrefix: nil)
                    return try body(try DataParallel.join(launch))
                })
                done.leave()
            }.start()
        }
        XCTAssertEqual(done.wait(timeout: .now() + 120), .success, "the ranks did not finish")
        return results.values.map { $0 ?? .failure(DistributedError("rank did not finish")) }
    }

    /// 5 windows over 2 ranks: 3 and 2, contiguous, in order; with 3 ranks of 2 windows, the last gets none.
    func testAGlobalBatchIsSharedContiguouslyAndEvenly() throws {
        let batch = Batch(x: try Tensor((0..<20).map(Float.init), shape: [5, 1, 2, 2]), labels: try Tensor([Int64(0), 1, 2, 3, 4]),
                          indices: [10, 11, 12, 13, 14], mix: nil, mixLabels: nil)
        let two = try job(worldSize: 2) { parallel -> [Int] in
            let share = try parallel.share(of: batch)
            XCTAssertEqual(share.x.shape, [share.indices.count, 1, 2, 2])
            return share.indices + (try share.labels.scalars(as: Int64.self).map { Int($0) })
        }
        XCTAssertEqual(try two.map { try $0.get() }, [[10, 11, 12, 0, 1, 2], [13, 14, 3, 4]])
        let small = Batch(x: try Tensor.zeros([2, 1, 2, 2]), labels: try Tensor([Int64(0), 1]), indices: [7, 8], mix: nil, mixLabels: nil)
        let three = try job(worldSize: 3) { try $0.share(of: small).indices }
        XCTAssertEqual(try three.map { try $0.get() }, [[7], [8], []])
    }

    /// Ranks with the same weights pass the epoch check; one changed weight fails it on every rank, naming the rank.
    func testTheWeightCheckNamesTheRankWhoseWeightsDiffer() throws {
        let input = InputShape(time: 8, channels: 3, classes: 2)
        let spec = try ModelSpec("lstm", options: ["hidden": "4", "layers": "1"])
        let models = try (0..<2).map { _ in try ModelFactory.make(spec, input: input, seed: 5) }
        let agreeing = try job(worldSize: 2) { parallel in try parallel.checkSameWeights(models[parallel.rank], epoch: 1) }
        for result in agreeing { XCTAssertNoThrow(try result.get()) }
        try withNoGrad { try models[1].parameters[0].setData(models[1].parameters[0] + 1e-6) }
        let differing = try job(worldSize: 2) { parallel in try parallel.checkSameWeights(models[parallel.rank], epoch: 3) }
        for result in differing {
            XCTAssertThrowsError(try result.get()) { error in
                XCTAssertTrue("\(error)".contains("after epoch 3 the weights of rank 1 differ from rank 0's"), "\(error)")
            }
        }
    }

    /// The validation split evaluated in shares by 5 ranks (552 windows: 111, 111, 110, 110, 110) gives every rank
    /// the metrics of one process evaluating the whole split, and its loss up to summation order: cross-entropy sums
    /// each batch's losses in float32, and the shares cut other batches (measured: 1e-7 relative; bound 1e-5, float32's
    /// 6e-8 per rounding over a few hundred terms).
    func testShardedEvaluationEqualsTheWholeSplitsOnEveryRank() throws {
        let dataset = try DatasetCatalog.load("synthetic", options: ["window": "32", "overlap": "0"])
        let input = InputShape(time: dataset.windowLength, channels: dataset.channelCount, classes: dataset.classNames.count)
        let spec = try ModelSpec("lstm", options: ["hidden": "4", "layers": "1"])
        let models = try (0..<5).map { _ in try ModelFactory.make(spec, input: input, seed: 5) }
        let whole = try Evaluator(model: models[0], dataset: dataset).evaluate(split: .validation)
        let results = try job(worldSize: 5) { parallel in try parallel.evaluate(models[parallel.rank], on: dataset, split: .validation) }
        for (rank, result) in results.enumerated() {
            let (loss, metrics) = try result.get()
            XCTAssertEqual(metrics, whole.metrics, "rank \(rank): the same predictions in the same order")
            XCTAssertEqual(loss, whole.loss, accuracy: 1e-5 * whole.loss, "rank \(rank)")
        }
    }

    /// A stop asked on one rank during a sharded evaluation (`eval`'s Ctrl-C) does not leave the others waiting in the
    /// gather: that rank ends with `EvaluationStopped`, the others with a message naming it.
    func testAStopOnOneRankEndsTheShardedEvaluationOnEveryRank() throws {
        let dataset = try DatasetCatalog.load("synthetic", options: ["window": "32", "overlap": "0"])
        let input = InputShape(time: dataset.windowLength, channels: dataset.channelCount, classes: dataset.classNames.count)
        let spec = try ModelSpec("lstm", options: ["hidden": "4", "layers": "1"])
        let models = try (0..<2).map { _ in try ModelFactory.make(spec, input: input, seed: 5) }
        let results = try job(worldSize: 2) { parallel -> Evaluator.Result in
            var evaluator = Evaluator(model: models[parallel.rank], dataset: dataset)
            evaluator.shouldStop = { parallel.rank == 1 }
            return try parallel.evaluate(evaluator, split: .test)
        }
        XCTAssertThrowsError(try results[0].get()) { error in
            XCTAssertTrue("\(error)".contains("the test evaluation stopped: rank 1 was asked to stop (Ctrl-C)"), "\(error)")
        }
        XCTAssertThrowsError(try results[1].get()) { error in XCTAssertTrue(error is EvaluationStopped, "\(error)") }
    }

    /// `sync_bn on` gives every batch-norm layer the job's group (and off takes it away) when every batch of the
    /// epoch gives each of the 3 ranks a window; when one would not (a rank without a window would skip the layers'
    /// all-reduces the others wait in), every rank refuses, naming the smallest batch. A last batch of one window is
    /// dropped by the trainer, so it does not count.
    func testSyncBatchNormNeedsAWindowForEveryRankInEveryBatch() throws {
        let input = InputShape(time: 8, channels: 3, classes: 2)
        let spec = try ModelSpec("cnn", options: ["width": "2", "depth": "2"])
        let models = try (0..<3).map { _ in try ModelFactory.make(spec, input: input, seed: 5) }
        func norms(_ module: any Module) -> [BatchNorm] {
            ((module as? BatchNorm).map { [$0] } ?? []) + module.children.flatMap { norms($0.module) }
        }
        let results = try job(worldSize: 3) { parallel -> [String] in
            let model = models[parallel.rank]
            var said: [String] = []
            for (windows, batch) in [(8, 3), (7, 2), (10, 3), (9, 3)] {
                do {
                    try parallel.setBatchNormSynchronization(of: model, to: true, windows: windows, batchSize: batch)
                    said.append(norms(model).allSatisfy { $0.synchronization != nil } ? "synchronised" : "not all synchronised")
                } catch { said.append("\(error)") }
            }
            try parallel.setBatchNormSynchronization(of: model, to: false, windows: 8, batchSize: 3)
            said.append(norms(model).allSatisfy { $0.synchronization == nil } ? "local" : "still synchronised")
            XCTAssertEqual(norms(model).count, 2)
            return said
        }
        for result in results {
            let said = try result.get()
            XCTAssertTrue(said[0].contains("sync_bn on needs a window for each of the 3 ranks in every batch, but the epoch's smallest "
                                           + "batch has 2 windows (8 training windows in batches of 3)"), said[0])
            XCTAssertTrue(said[1].contains("smallest batch has 2 windows (7 training windows in batches of 2)"), said[1])
            XCTAssertEqual(Array(said[2...]), ["synchronised", "synchronised", "local"])
        }
    }

    /// `sync_bn` is among the training settings every rank must agree on, and in a run's settings text (what `runs`
    /// says a later `train` changed, and `compare`'s differing settings).
    func testSyncBatchNormIsFingerprintedAndInTheRunsSettingsText() throws {
        let dataset = try DatasetCatalog.load("synthetic", options: ["window": "32", "overlap": "0"])
        let spec = try ModelSpec("cnn", options: ["width": "2", "depth": "1"])
        var synchronised = TrainingConfig()
        synchronised.syncBatchNorm = true
        let off = try JobFingerprint.training(dataset: dataset, model: spec, config: TrainingConfig())
        let on = try JobFingerprint.training(dataset: dataset, model: spec, config: synchronised)
        let difference = on.difference(from: off, rank: 0, otherRank: 1)
        XCTAssertTrue(difference?.contains("rank 1's training settings does not match") == true, difference ?? "none")
        XCTAssertTrue(difference?.contains("\"syncBatchNorm\":true") == true, difference ?? "none")
        let history = [RunSettings(fromEpoch: 1, config: TrainingConfig(), augmentation: nil),
                       RunSettings(fromEpoch: 3, config: synchronised, augmentation: nil)]
        XCTAssertEqual(RunTable.changes(settings: history), "epoch 3: syncBatchNorm none→true")
    }

    /// Data-parallel `train` honours the step and averaging settings one process has: a frozen stem (`stem_lr 0`)
    /// stays as it was on every rank, and the weight average (`ema`) is updated at every step and ends the same on
    /// every rank (each step's one all-reduce counted and timed); class weights, whose weighted mean the shares cannot give, are refused on every rank with a
    /// message naming the setting.
    func testDataParallelTrainingKeepsTheStemRateAndAverageAndRefusesClassWeights() throws {
        let dataset = try DatasetCatalog.load("synthetic", options: ["window": "32", "overlap": "0"])
        let input = InputShape(time: dataset.windowLength, channels: dataset.channelCount, classes: dataset.classNames.count)
        // Each rank's model is made here, one after the other: made in the ranks' threads at once, their seeded
        // initialisations would interleave draws from libtorch's one global generator (one process per rank has its own).
        func models() throws -> [any HARModel] {
            try (0..<2).map { _ in try ModelFactory.make(try ModelSpec("cnn", options: ["width": "4"]), input: input, seed: 3) }
        }
        func train(_ config: TrainingConfig, _ model: any HARModel, _ parallel: DataParallel) throws -> (Trainer, any HARModel) {
            let trainer = try Trainer(model: model, dataset: dataset, config: config)
            trainer.dataParallel = parallel
            _ = try trainer.train(epochs: 1)
            return (trainer, model)
        }
        func stem(_ model: any HARModel) throws -> [[Float]] {
            try model.namedParameters().filter { $0.name.hasPrefix("body.") }.map { try $0.tensor.scalars(as: Float.self) }
        }
        var frozen = TrainingConfig()
        frozen.batchSize = 64
        frozen.stemLearningRate = 0
        let untrained = try stem(try ModelFactory.make(try ModelSpec("cnn", options: ["width": "4"]), input: input, seed: 3))
        XCTAssertFalse(untrained.isEmpty)
        let frozenModels = try models()
        for result in try job(worldSize: 2, timeout: 60, { parallel in try stem(try train(frozen, frozenModels[parallel.rank], parallel).1) }) {
            XCTAssertEqual(try result.get(), untrained, "the frozen stem moved")
        }

        var averaged = TrainingConfig()
        averaged.batchSize = 64
        averaged.averagingDecay = 0.9
        let steps = try Batcher(dataset: dataset, split: .train, batchSize: 64, shuffle: true, seed: averaged.seed,
                                augmentation: nil, dropsLoneWindow: true).batchCount
        let averagedModels = try models()
        let weights = try job(worldSize: 2, timeout: 60) { parallel -> [String: [Float]] in
            let (trainer, model) = try train(averaged, averagedModels[parallel.rank], parallel)
            XCTAssertEqual(trainer.weightAverage?.updates, steps, "one average update per step")
            XCTAssertEqual(parallel.gradientReductions, steps, "one timed gradient all-reduce per step")
            XCTAssertGreaterThan(parallel.gradientReductionSeconds, 0)
            return try Dictionary(uniqueKeysWithValues: model.namedParameters().map { ($0.name, try $0.tensor.scalars(as: Float.self)) })
        }.map { try $0.get() }
        XCTAssertEqual(weights[0], weights[1], "the averaged weights differ between the ranks")

        var weighted = TrainingConfig()
        weighted.classWeights = .balanced
        let weightedModels = try models()
        let refusals = try job(worldSize: 2) { parallel in
            let trainer = try Trainer(model: weightedModels[parallel.rank], dataset: dataset, config: weighted)
            trainer.dataParallel = parallel
            _ = try trainer.train(epochs: 1)
        }
        for result in refusals {
            XCTAssertThrowsError(try result.get()) { XCTAssertTrue("\($0)".contains("class weights are not supported in data-parallel training"), "\($0)") }
        }
    }

    /// A `train` rendezvous with a different model on rank 1 fails on both ranks with the same message.
    func testATrainingFingerprintThatDiffersFailsEveryRank() throws {
        let dataset = try DatasetCatalog.load("synthetic", options: ["window": "32", "overlap": "0"])
        let prints = try ["sa", "cnn"].map { try JobFingerprint.training(dataset: dataset, model: try ModelSpec($0), config: TrainingConfig()) }
        let results = try job(worldSize: 2) { parallel in try parallel.agree(on: prints[parallel.rank]) }
        for result in results {
            XCTAssertThrowsError(try result.get()) { error in
                XCTAssertTrue("\(error)".contains("the ranks of the job disagree: rank 1's model does not match rank 0's: rank 0 has sa, rank 1 has cnn"),
                              "\(error)")
            }
        }
    }

    /// Two processes that both say RANK=1: one of them is told, and rank 0 and the other form the job. The job stays
    /// up until the second claim of RANK=1 is in the store: a claimant that comes late (a loaded machine) must still
    /// find rank 0's store there, not a job that has already ended.
    func testARankClaimedTwiceIsRefused() throws {
        let results = try job(worldSize: 2, ranks: [0, 1, 1], timeout: 10) { parallel -> Int in
            let end = Date().addingTimeInterval(60)
            while try parallel.group.store.add("harlab/rank/1", 0) < 2, Date() < end { Thread.sleep(forTimeInterval: 0.05) }
            return parallel.rank
        }
        let failures = results.compactMap { result -> String? in
            if case .failure(let error) = result { return "\(error)" }
            return nil
        }
        XCTAssertEqual(failures.count, 1, "\(failures)")
        XCTAssertTrue(failures.first?.contains("RANK=1 is claimed by 2 processes") == true, "\(failures)")
        XCTAssertEqual(try results[0].get(), 0)
    }
}

/// One slot per rank, written from the ranks' threads.
private final class Slots<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Value?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Value) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }

    var values: [Value?] {
        lock.lock()
        defer { lock.unlock() }
        return slots
    }
}

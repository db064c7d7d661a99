import XCTest
import Torch
@testable import HARKit
import TestSupport

final class DatasetsBatcherTests: IsolatedTestCase {
    func testBatchesHaveModelLayoutAndCoverTheSplitOnce() throws {
        let data = try DatasetCatalog.load("synthetic")
        let batcher = try Batcher(dataset: data, split: .test, batchSize: 128, shuffle: true, seed: 1, augmentation: nil)
        let batches = try batcher.batches(epoch: 0)
        XCTAssertEqual(batches.count, (660 + 127) / 128)
        XCTAssertEqual(batches[0].x.shape, [128, 1, 128, 6])
        XCTAssertEqual(batches[0].x.dtype, .float32)
        XCTAssertEqual(batches[0].labels.dtype, .int64)
        XCTAssertEqual(batches.last!.x.shape[0], 660 - 5 * 128)
        XCTAssertEqual(batches.flatMap(\.indices).sorted(), data.indices(in: .test))
    }

    func testBatchValuesAndLabelsMatchTheDataset() throws {
        let data = try DatasetCatalog.load("synthetic")
        let batcher = try Batcher(dataset: data, split: .train, batchSize: 4, shuffle: true, seed: 9, augmentation: nil)
        let batch = try batcher.batches(epoch: 2)[3]
        let values: [Float] = try batch.x.scalars()
        let labels: [Int64] = try batch.labels.scalars()
        for (k, index) in batch.indices.enumerated() {
            XCTAssertEqual(Array(values[(k * data.windowSize)..<((k + 1) * data.windowSize)]),
                           Array(data.windows[(index * data.windowSize)..<((index + 1) * data.windowSize)]))
            XCTAssertEqual(Int(labels[k]), data.labels[index])
        }
    }

    func testShuffleIsDeterministicPerSeedAndEpoch() throws {
        let data = try DatasetCatalog.load("synthetic")
        let a = try Batcher(dataset: data, split: .train, batchSize: 32, shuffle: true, seed: 5, augmentation: nil)
        let b = try Batcher(dataset: data, split: .train, batchSize: 32, shuffle: true, seed: 5, augmentation: nil)
        XCTAssertEqual(a.order(epoch: 1), b.order(epoch: 1))
        XCTAssertNotEqual(a.order(epoch: 1), a.order(epoch: 2))
        let plain = try Batcher(dataset: data, split: .train, batchSize: 32, shuffle: false, seed: 5, augmentation: nil)
        XCTAssertEqual(plain.order(epoch: 7), data.indices(in: .train))
    }

    func testBatcherRejectsEmptySplitAndBadBatchSize() throws {
        let data = try DatasetCatalog.load("synthetic", options: ["validation": "0"])
        XCTAssertThrowsError(try Batcher(dataset: data, split: .validation, batchSize: 8, shuffle: false, seed: 0, augmentation: nil))
        XCTAssertThrowsError(try Batcher(dataset: data, split: .train, batchSize: 0, shuffle: false, seed: 0, augmentation: nil))
    }

    func testLoneLastWindowIsLeftOutButOtherPartialBatchesKept() throws {
        let data = try DatasetCatalog.load("synthetic")
        // 660 test windows: batches of 659 leave one window over, which is dropped; batches of 128 keep the last 20.
        let lone = try Batcher(dataset: data, split: .test, batchSize: 659, shuffle: true, seed: 1, augmentation: nil, dropsLoneWindow: true)
        XCTAssertEqual(try lone.batches(epoch: 0).map(\.indices.count), [659])
        let partial = try Batcher(dataset: data, split: .test, batchSize: 128, shuffle: true, seed: 1, augmentation: nil, dropsLoneWindow: true)
        XCTAssertEqual(try partial.batches(epoch: 0).map(\.indices.count), [128, 128, 128, 128, 128, 20])
        let large = try Batcher(dataset: data, split: .test, batchSize: 1000, shuffle: false, seed: 0, augmentation: nil, dropsLoneWindow: true)
        XCTAssertEqual(large.batchCount, 1)
    }
}

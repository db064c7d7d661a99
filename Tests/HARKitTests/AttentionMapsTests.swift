import Foundation
import Torch
import XCTest
@testable import HARKit
import TestSupport

/// `AttentionMaps`, the one computation behind `inspect attention`, `plot attention` and `report`.
final class AttentionMapsTests: IsolatedTestCase {
    static let dataset: HARDataset = try! everyFourthWindow(of: DatasetCatalog.load("synthetic", from: nil, options: [:], dataDirectory: nil))

    func model(_ spec: String = "sa") throws -> any HARModel {
        Runtime.manualSeed(1)
        let data = Self.dataset
        return try ModelFactory.make(try ModelSpec(spec, options: ["width": "8"]),
                                     input: InputShape(time: data.windowLength, channels: data.channelCount, classes: data.classNames.count))
    }

    /// The model's own spatial map for dataset window `index`, layer `layer`, from one forward pass.
    func directMap(_ model: any HARModel, window index: Int, layer: Int) throws -> (shape: [Int], values: [Float]) {
        let size = Self.dataset.windowSize
        model.setTraining(false)
        _ = try model(try Tensor(Array(Self.dataset.windows[(index * size)..<((index + 1) * size)]),
                                 shape: [1, 1, Self.dataset.windowLength, Self.dataset.channelCount]))
        let weights = model.attentionMaps.filter { $0.kind == .spatial }[layer].weights
        return (weights.shape, try weights.scalars(as: Float.self))
    }

    func testAWindowIsNamedByItsPositionInTheTestSplit() throws {
        let model = try model()
        let test = Self.dataset.indices(in: .test)
        XCTAssertNotEqual(test[5], 5, "the test split does not start the dataset, so position and index differ")
        let maps = try AttentionMaps(model: model, dataset: Self.dataset, subject: .window(5))
        XCTAssertEqual(maps.split, .test)
        XCTAssertEqual(maps.windows, [test[5]])
        XCTAssertEqual(maps.channelNames, Self.dataset.channelNames)
        XCTAssertEqual(maps.layers.map(\.name), ["body.1", "body.5", "body.9", "body.13"])
        XCTAssertEqual(maps.caption, "test window 5 (class \(Self.dataset.classNames[Self.dataset.labels[test[5]]]))")
        let direct = try directMap(model, window: test[5], layer: 1)
        XCTAssertEqual([maps.layers[1].values.count, maps.layers[1].values[0].count], Array(direct.shape.dropFirst()))
        XCTAssertEqual(maps.layers[1].values.flatMap { $0 }, direct.values.map(Double.init))
        XCTAssertEqual(try AttentionMaps(model: model, dataset: Self.dataset), try AttentionMaps(model: model, dataset: Self.dataset, subject: .window(0)),
                       "the default is test window 0")
    }

    func testClassMapIsTheMeanOverEveryWindowOfTheClassInTheSplitWhateverTheBatchSize() throws {
        let model = try model()
        let label = 2
        let windows = Self.dataset.indices(in: .test).filter { Self.dataset.labels[$0] == label }
        XCTAssertGreaterThan(windows.count, 3, "several batches of 3")
        let batched = try AttentionMaps(model: model, dataset: Self.dataset, subject: .classLabel(label), batchSize: 3)
        let whole = try AttentionMaps(model: model, dataset: Self.dataset, subject: .classLabel(label), batchSize: 10_000)
        XCTAssertEqual(batched.windows, windows, "every window of the class, not a prefix")
        XCTAssertEqual(batched.caption, "class \(Self.dataset.classNames[label]) (mean of \(windows.count) test windows)")
        let singles = try windows.map { try directMap(model, window: $0, layer: 0) }
        let columns = batched.layers[0].values[0].count
        for t in [0, batched.layers[0].values.count - 1] {
            for c in 0..<columns {
                let expected = singles.reduce(0) { $0 + Double($1.values[t * columns + c]) } / Double(singles.count)
                XCTAssertEqual(batched.layers[0].values[t][c], expected, accuracy: 1e-6)
                XCTAssertEqual(batched.layers[0].values[t][c], whole.layers[0].values[t][c], accuracy: 1e-12)
            }
        }
    }

    func testReportAttentionShowsTheMapsLayerUnderItsNameAndCaption() throws {
        let maps = try AttentionMaps(model: try model(), dataset: Self.dataset, subject: .classLabel(1))
        let shown = try ReportAttention(maps, layer: 2)
        XCTAssertEqual(shown.map, maps.layers[2].values)
        XCTAssertEqual(shown.title, "body.9 · \(maps.caption)")
        XCTAssertEqual(maps.layerIndex("body.9"), 2)
        XCTAssertEqual(maps.layerIndex("3"), 3)
        XCTAssertNil(maps.layerIndex("body.2"))
        XCTAssertThrowsError(try ReportAttention(maps, layer: 4)) { XCTAssertTrue("\($0)".contains("has 4 spatial attention layers (0…3)"), "\($0)") }
    }

    func testMissingClassWindowOrAttentionIsAClearError() throws {
        let model = try model()
        let tests = Self.dataset.indices(in: .test).count
        XCTAssertThrowsError(try AttentionMaps(model: model, dataset: Self.dataset, subject: .classLabel(99))) {
            XCTAssertTrue("\($0)".hasPrefix("class 99 does not exist"), "\($0)")
        }
        XCTAssertThrowsError(try AttentionMaps(model: model, dataset: Self.dataset, subject: .window(tests))) {
            XCTAssertEqual("\($0)", "test window \(tests) does not exist: the test split has \(tests) windows (0…\(tests - 1))")
        }
        XCTAssertThrowsError(try AttentionMaps(model: model, dataset: Self.dataset, subject: .window(-1))) { XCTAssertTrue("\($0)".contains("window -1 does not exist"), "\($0)") }
        XCTAssertThrowsError(try AttentionMaps(model: try self.model("cnn"), dataset: Self.dataset)) { XCTAssertTrue("\($0)".contains("has no spatial attention"), "\($0)") }
    }
}

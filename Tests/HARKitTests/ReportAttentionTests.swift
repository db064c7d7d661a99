import Foundation
import Torch
import XCTest
@testable import HARKit

final class ReportAttentionTests: IsolatedTestCase {
    static let dataset: HARDataset = try! everyFourthWindow(of: DatasetCatalog.load("synthetic", from: nil, options: [:], dataDirectory: nil))

    func model(_ spec: String = "sa") throws -> any HARModel {
        Runtime.manualSeed(1)
        let data = Self.dataset
        return try ModelFactory.make(try ModelSpec(spec, options: ["width": "8"]),
                                     input: InputShape(time: data.windowLength, channels: data.channelCount, classes: data.classNames.count))
    }

    func testOneWindowsMapIsTheModelsAttentionForIt() throws {
        let model = try model()
        let map = try ReportAttention(model: model, dataset: Self.dataset, window: 5, layer: 1)
        XCTAssertEqual(map.channelNames, Self.dataset.channelNames)
        XCTAssertTrue(map.title.hasPrefix("body.5 · window 5 ("), map.title)
        let size = Self.dataset.windowSize
        model.setTraining(false)
        _ = try model(try Tensor(Array(Self.dataset.windows[(5 * size)..<(6 * size)]), shape: [1, 1, Self.dataset.windowLength, Self.dataset.channelCount]))
        let weights = model.attentionMaps[1].weights
        XCTAssertEqual([map.map.count, map.map[0].count], Array(weights.shape.dropFirst()))
        XCTAssertEqual(map.map.flatMap { $0 }, try weights.scalars(as: Float.self))
    }

    func testClassMapIsTheMeanOfItsWindowsMaps() throws {
        let model = try model()
        let name = Self.dataset.classNames[2]
        let average = try ReportAttention(model: model, dataset: Self.dataset, split: .test, className: name)
        let windows = Self.dataset.indices(in: .test).filter { Self.dataset.labels[$0] == 2 }
        XCTAssertTrue(average.title.contains("class \(name) (mean of \(windows.count) windows)"), average.title)
        let singles = try windows.map { try ReportAttention(model: model, dataset: Self.dataset, window: $0).map }
        for t in [0, average.map.count - 1] {
            for c in 0..<average.map[0].count {
                let expected = singles.reduce(0) { $0 + Double($1[t][c]) } / Double(singles.count)
                XCTAssertEqual(Double(average.map[t][c]), expected, accuracy: 1e-5)
            }
        }
    }

    func testMissingClassLayerWindowOrAttentionIsAClearError() throws {
        let model = try model()
        XCTAssertThrowsError(try ReportAttention(model: model, dataset: Self.dataset, className: "flying")) { XCTAssertTrue("\($0)".hasPrefix("unknown class 'flying'"), "\($0)") }
        XCTAssertThrowsError(try ReportAttention(model: model, dataset: Self.dataset, layer: 9)) { XCTAssertTrue("\($0)".contains("has 4 spatial attention layers (0…3)"), "\($0)") }
        XCTAssertThrowsError(try ReportAttention(model: model, dataset: Self.dataset, window: -1)) { XCTAssertTrue("\($0)".contains("window -1 does not exist"), "\($0)") }
        XCTAssertThrowsError(try ReportAttention(model: try self.model("cnn"), dataset: Self.dataset)) { XCTAssertTrue("\($0)".contains("has no spatial attention"), "\($0)") }
    }
}

import XCTest
import Torch
@testable import HARKit
import TestSupport

final class ModelZooTests: IsolatedTestCase {
    /// Reference LSTM (2 × 512 over the raw channels) parameter counts from PyTorch 2.15 (`peer_pytorch.py`).
    func testLSTMParameterCountEqualsReference() throws {
        for (name, count) in ["uci": 3_175_430, "oppo": 3_394_065] {
            let model = try ModelFactory.make(try ModelSpec("lstm"), input: BenchmarkShape.named(name)!.input)
            XCTAssertEqual(model.parameterCount, count, name)
        }
    }

    func testEverySpecRunsForwardAndBackwardOnEveryDatasetShape() throws {
        let specs = ModelSpec.examples + ["ca+lstm", "resnet+gru", "sa+transformer"]
        for shape in BenchmarkShape.all {
            for text in specs {
                let model = try ModelFactory.make(try ModelSpec(text, options: ["hidden": "16", "width": "4"].filter { _ in text != "lstm" }),
                                                  input: shape.input)
                let logits = try model(try Tensor.randn([2, 1, shape.input.time, shape.input.channels]))
                XCTAssertEqual(logits.shape, [2, shape.input.classes], "\(text) on \(shape.name)")
                try logits.sum().backward()
                let withGradient = model.parameters.filter { $0.grad != nil }.count
                XCTAssertEqual(withGradient, model.parameters.count, "\(text) on \(shape.name): parameters without gradient")
                let summary = try ModelSummary(of: model)
                XCTAssertEqual(summary.rows.last?.outputShape, [1, shape.input.classes], text)
                XCTAssertGreaterThan(summary.macs, 0, text)
            }
        }
    }

    func testTransformerExposesHeadWiseAttentionMaps() throws {
        let model = try ModelFactory.make(try ModelSpec("sa+transformer", options: ["heads": "2", "hidden": "8", "width": "4"]),
                                          input: InputShape(time: 32, channels: 3, classes: 4))
        _ = try model(try Tensor.randn([5, 1, 32, 3]))
        let heads = model.attentionMaps.filter { $0.kind == .heads }
        XCTAssertEqual(heads.map(\.weights.shape), [[5, 2, 8, 8], [5, 2, 8, 8]])
        let rowSums = try heads[0].weights.sum(alongAxes: 3).scalars(as: Float.self)
        XCTAssertTrue(rowSums.allSatisfy { Swift.abs($0 - 1) < 1e-5 })
        XCTAssertEqual(model.attentionMaps.filter { $0.kind == .spatial }.count, 2)
    }

    func testHybridNamesComposeStemAndReaderParameters() throws {
        let model = try ModelFactory.make(try ModelSpec("attn+lstm"), input: InputShape(time: 64, channels: 6, classes: 6))
        let names = model.namedParameters().map(\.name)
        XCTAssertTrue(names.contains("body.1.gate.0.weight"))
        XCTAssertTrue(names.contains("lstm.weight_ih_l0"))
        XCTAssertTrue(names.contains("head.weight"))
        // Stem of 2 stages (32, 64 maps) over 6 channels: the LSTM reads 64·6 values per step.
        XCTAssertEqual(model.stateDict()["lstm.weight_ih_l0"]?.shape, [512, 384])
    }

    func testDeepConvLSTMRejectsWindowsShorterThanItsReceptiveField() {
        XCTAssertThrowsError(try ModelFactory.make(try ModelSpec("deepconvlstm"), input: InputShape(time: 12, channels: 3, classes: 2))) { error in
            XCTAssertTrue("\(error)".contains("longer than 16"), "\(error)")
        }
    }
}

import XCTest
import Torch
@testable import HARKit
import TestSupport

final class ModelTests: IsolatedTestCase {
    /// Parameter counts of the PyTorch reference (`peer_pytorch.py` build(...)), computed with PyTorch 2.15.
    func testSpatialAttentionParameterCountEqualsReferenceOnEveryShape() throws {
        let reference = ["uci": 546_838, "wisdm": 528_406, "pamap2": 740_380, "dsads": 956_963, "oppo": 1_502_753]
        for shape in BenchmarkShape.all {
            let model = try ModelFactory.make(try ModelSpec("sa"), input: shape.input)
            XCTAssertEqual(model.parameterCount, reference[shape.name], shape.name)
        }
    }

    func testPlainCNNParameterCountEqualsReference() throws {
        let reference = ["uci": 546_822, "dsads": 956_947]
        for (name, count) in reference {
            let model = try ModelFactory.make(try ModelSpec("cnn"), input: BenchmarkShape.named(name)!.input)
            XCTAssertEqual(model.parameterCount, count, name)
        }
    }

    /// The fixture holds a narrow reference network's weights and outputs from PyTorch (make_model_fixtures.py).
    /// One forward and backward pass, no training steps: other kernels change the float32 results by rounding of the
    /// order of √n·ε for sums of n ≤ 10³ terms (about 2e-6), so 1e-4 holds on any CPU while a wrong layer moves logits
    /// by far more.
    func testSpatialAttentionMatchesPyTorchForwardAndInputGradient() throws {
        let url = Bundle.module.url(forResource: "Fixtures/models/sa_w8", withExtension: "pt")!
        let fixture = try StateDict(contentsOf: url)
        let model = try ModelFactory.make(try ModelSpec("sa", options: ["width": "8"]), input: InputShape(time: 20, channels: 5, classes: 3))
        let weights = StateDict(fixture.entries.filter { !["input", "train_logits", "eval_logits", "input_grad", "out_weights"].contains($0.name) })
        XCTAssertEqual(Set(weights.names), Set(model.stateDict().names))
        try model.loadState(weights)

        let input = try fixture["input"]!.converted(to: .float32)
        model.setTraining(false)
        let eval = try model(input)
        try assertClose(eval, fixture["eval_logits"]!, tolerance: 1e-4)

        model.setTraining(true)
        try input.setRequiresGrad(true)
        let train = try model(input)
        try assertClose(train, fixture["train_logits"]!, tolerance: 1e-4)
        try (train * fixture["out_weights"]!.converted(to: .float32)).sum().backward()
        try assertClose(input.grad!, fixture["input_grad"]!, tolerance: 1e-4)
    }

    func testAttentionMapsHaveOneTimeByChannelMapPerStage() throws {
        let model = try ModelFactory.make(try ModelSpec("sa"), input: InputShape(time: 128, channels: 9, classes: 6))
        let logits = try model(try Tensor.randn([2, 1, 128, 9]))
        XCTAssertEqual(logits.shape, [2, 6])
        XCTAssertEqual(model.attentionMaps.map(\.weights.shape), [[2, 64, 9], [2, 32, 9], [2, 16, 9], [2, 8, 9]])
        XCTAssertEqual(model.attentionMaps.map(\.layer), ["body.1", "body.5", "body.9", "body.13"])
        let values = try model.attentionMaps[0].weights.scalars(as: Float.self)
        XCTAssertTrue(values.allSatisfy { $0 > 0 && $0 < 1 })
    }

    func testSummaryTotalsMatchModelAndMACsAreHandComputed() throws {
        let model = try ModelFactory.make(try ModelSpec("cnn", options: ["width": "2", "depth": "1"]), input: InputShape(time: 8, channels: 3, classes: 2))
        let summary = try ModelSummary(of: model)
        XCTAssertEqual(summary.parameters, model.parameterCount)
        XCTAssertEqual(summary.rows.map(\.name), ["body.0", "body.1", "pool", "head"])
        XCTAssertEqual(summary.rows[0].outputShape, [1, 2, 4, 3])
        // conv: 2·4·3 outputs × 3 taps; BN+ReLU: 24; pool: 24; head: 2×6 weights.
        XCTAssertEqual(summary.rows.map(\.macs), [72, 24, 24, 12])
    }

    func testUnknownModelNameSuggestsTheNearestValidOne() {
        XCTAssertThrowsError(try ModelSpec("atn+lstm")) { error in
            XCTAssertTrue("\(error)".contains("did you mean 'attn+lstm'"), "\(error)")
        }
        XCTAssertThrowsError(try ModelSpec("sa", options: ["widht": "3"])) { error in
            XCTAssertTrue("\(error)".contains("did you mean 'width'"), "\(error)")
        }
        XCTAssertThrowsError(try ModelSpec("lstm+sa"))
        XCTAssertThrowsError(try ModelSpec("sa", options: ["dropout": "1.5"]))
    }

    func testWrongInputShapeIsAClearError() throws {
        let model = try ModelFactory.make(try ModelSpec("sa"), input: InputShape(time: 128, channels: 9, classes: 6))
        XCTAssertThrowsError(try model(try Tensor.randn([2, 1, 100, 9]))) { error in
            XCTAssertTrue("\(error)".contains("[B, 1, 128, 9]"), "\(error)")
        }
    }
}

/// Asserts two tensors agree elementwise within `tolerance` (absolute, after conversion to float64).
func assertClose(_ a: Tensor, _ b: Tensor, tolerance: Double, file: StaticString = #filePath, line: UInt = #line) throws {
    XCTAssertEqual(a.shape, b.shape, file: file, line: line)
    let x = try a.scalars(as: Double.self), y = try b.scalars(as: Double.self)
    let worst = zip(x, y).map { Swift.abs($0 - $1) }.max() ?? 0
    XCTAssertLessThanOrEqual(worst, tolerance, "largest difference \(worst)", file: file, line: line)
}

import XCTest
@testable import Torch
import TestSupport

/// Parameter names, PyTorch's default initialisation, and training-mode behaviour of the layers.
final class ModuleTests: IsolatedTestCase {
    override func setUp() { Runtime.manualSeed(21) }

    /// Asserts every value of `t` lies in [-bound, bound], reaches near the bound, and has U(-b, b)'s spread.
    private func assertUniform(_ t: Tensor, bound: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let values = try t.scalars(as: Double.self)
        let largest = values.map(Swift.abs).max() ?? 0
        XCTAssertLessThanOrEqual(largest, bound, what, file: file, line: line)
        XCTAssertGreaterThan(largest, 0.9 * bound, what, file: file, line: line)
        let std = (values.map { $0 * $0 }.reduce(0, +) / Double(values.count)).squareRoot()
        XCTAssertEqual(std, bound / 3.0.squareRoot(), accuracy: 0.12 * bound, "\(what) spread", file: file, line: line)
    }

    func testRecurrentLayersUsePyTorchNamesAndInitialisation() throws {
        let lstm = try LSTM(inputSize: 3, hiddenSize: 16, layers: 2, bidirectional: true)
        let suffixes = ["l0", "l0_reverse", "l1", "l1_reverse"]
        XCTAssertEqual(lstm.namedParameters().map(\.name),
                       suffixes.flatMap { s in ["weight_ih_", "weight_hh_", "bias_ih_", "bias_hh_"].map { $0 + s } })
        XCTAssertEqual(lstm.namedParameters().first { $0.name == "weight_ih_l1" }?.tensor.shape, [64, 32])
        for (name, tensor) in lstm.namedParameters() { try assertUniform(tensor, bound: 0.25, "LSTM \(name)") }
        let gru = try GRU(inputSize: 3, hiddenSize: 16, bias: false)
        XCTAssertEqual(gru.namedParameters().map(\.name), ["weight_ih_l0", "weight_hh_l0"])
        XCTAssertEqual(gru.parameters[0].shape, [48, 3])
        try assertUniform(gru.parameters[1], bound: 0.25, "GRU weight_hh_l0")
    }

    func testAttentionAndConvolutionUsePyTorchInitialisation() throws {
        let attention = try MultiheadAttention(embedDim: 32, heads: 4)
        XCTAssertEqual(attention.namedParameters().map(\.name), ["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"])
        try assertUniform(attention.inProjWeight, bound: (6.0 / 128).squareRoot(), "in_proj_weight (Xavier)")
        try assertUniform(attention.outProj.weight, bound: 1 / 32.0.squareRoot(), "out_proj.weight")
        XCTAssertEqual(try XCTUnwrap(attention.inProjBias).abs().sum().item(), 0)
        XCTAssertEqual(try XCTUnwrap(attention.outProj.bias).abs().sum().item(), 0)
        let conv = try Conv1d(8, 64, kernel: 5, groups: 2)
        try assertUniform(conv.weight, bound: 1 / 20.0.squareRoot(), "Conv1d weight")
        XCTAssertEqual(conv.weight.shape, [64, 4, 5])
    }

    func testTransformerStateDictListsPyTorchsNamesInPyTorchsOrder() throws {
        let layer = try TransformerEncoderLayer(modelSize: 8, heads: 2, feedForward: 16)
        XCTAssertEqual(layer.stateDict().names, [
            "self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
            "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias",
        ])
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: Fixtures.url("python_state_dict.json"))) as! [[String: Any]]
        let model = Sequential([try Linear(3, 4), try BatchNorm1d(4), ActivationLayer(.relu), try Linear(4, 2)])
        XCTAssertEqual(model.stateDict().names, expected.map { $0["name"] as! String })
    }

    func testTrainingModeReachesNestedDropout() throws {
        let layer = try TransformerEncoderLayer(modelSize: 4, heads: 1, feedForward: 8, dropout: 0.5)
        let x = try Tensor.randn([2, 3, 4])
        layer.setTraining(false)
        XCTAssertFalse(layer.dropout1.isTraining || layer.selfAttention.isTraining)
        let first = try layer(x).scalars(as: Float.self)
        XCTAssertEqual(first, try layer(x).scalars(as: Float.self), "evaluation is deterministic")
        layer.setTraining(true)
        XCTAssertNotEqual(first, try layer(x).scalars(as: Float.self), "dropout acts in training")
    }

    func testDropoutScalesKeptValuesAndIsIdentityInEvaluation() throws {
        let dropout = try Dropout(0.25)
        let y = try dropout(try Tensor.ones([10_000])).scalars(as: Float.self)
        XCTAssertTrue(y.allSatisfy { $0 == 0 || Swift.abs($0 - 4.0 / 3) < 1e-6 })
        XCTAssertEqual(Double(y.filter { $0 == 0 }.count) / 10_000, 0.25, accuracy: 0.02)
        dropout.setTraining(false)
        XCTAssertEqual(try dropout(try Tensor.ones([5])).scalars(as: Float.self), [1, 1, 1, 1, 1])
    }

    func testTimeMajorRecurrentLayersAgreeWithBatchFirstOnes() throws {
        let batchFirst = try LSTM(inputSize: 3, hiddenSize: 4, layers: 2)
        let timeMajor = try LSTM(inputSize: 3, hiddenSize: 4, layers: 2, batchFirst: false)
        try timeMajor.loadState(batchFirst.stateDict())
        let x = try Tensor.randn([2, 5, 3])
        let a = try batchFirst.forward(x), b = try timeMajor.forward(try x.transposed(0, 1))
        try assertClose(try b.output.transposed(0, 1), a.output, "LSTM output")
        try assertClose(b.state.c, a.state.c, "LSTM cell state")
        let gruFirst = try GRU(inputSize: 3, hiddenSize: 4), gruTime = try GRU(inputSize: 3, hiddenSize: 4, batchFirst: false)
        try gruTime.loadState(gruFirst.stateDict())
        let initial = try Tensor.randn([1, 2, 4])
        let g = try gruFirst.forward(x, initial: initial), h = try gruTime.forward(try x.transposed(0, 1), initial: initial)
        try assertClose(h.state, g.state, "GRU state")
    }

    func testConvertKeepsParameterIdentityForOptimizers() throws {
        let linear = try Linear(3, 2)
        let weight = linear.weight
        try linear.convert(to: .float64)
        XCTAssertTrue(weight === linear.weight)
        XCTAssertEqual(linear.weight.dtype, .float64)
        XCTAssertTrue(linear.weight.requiresGrad)
        XCTAssertEqual(linear.parameterCount, 8)
        XCTAssertEqual(try linear(try Tensor.ones([1, 3], dtype: .float64)).dtype, .float64)
    }
}

import XCTest
@testable import Torch
import TestSupport

/// Each layer, loaded with PyTorch's weights by PyTorch's names, gives PyTorch's outputs and gradients
/// (fixtures from Fixtures/make_fixtures.py).
final class LayerParityTests: IsolatedTestCase {
    private static let fixtures = Result { try Fixtures.load("layers.pt") }

    /// Loads case `name`'s weights into `layer` (strictly: every name must match), runs `forward` on the stored input,
    /// and compares the output, the extra outputs, and the gradients of sum(output × upstream) with PyTorch's.
    ///
    /// The tolerance holds whatever kernels a CPU picks: one layer, every sum (outputs, statistics, gradients) at most 24
    /// terms of O(1) values, so any summation order, vector width or FMA use rounds within 24·ε ≈ 1.4e-6 of their
    /// magnitude, and no training steps amplify it. 1e-5 absolute plus relative is 7× that worst case.
    private func verify(_ name: String, _ layer: any Module, tolerance: Double = 1e-5, file: StaticString = #filePath, line: UInt = #line,
                        _ forward: (Tensor) throws -> (Tensor, [String: Tensor])) throws {
        let f = try Self.fixtures.get()
        try layer.loadState(f.withPrefix("\(name).param."))
        let x = try f.required("\(name).input0").cloned()
        try x.setRequiresGrad(true)
        let (output, extras) = try forward(x)
        try assertClose(output, f.required("\(name).output"), tolerance: tolerance, "\(name) output", file: file, line: line)
        for (key, value) in extras {
            try assertClose(value, f.required("\(name).\(key)"), tolerance: tolerance, "\(name) \(key)", file: file, line: line)
        }
        try (output * f.required("\(name).upstream")).sum().backward()
        try assertClose(try XCTUnwrap(x.grad), f.required("\(name).grad.input0"), tolerance: tolerance, "\(name) input gradient",
                        file: file, line: line)
        for (parameter, tensor) in layer.namedParameters() {
            try assertClose(try XCTUnwrap(tensor.grad, parameter), f.required("\(name).grad.\(parameter)"), tolerance: tolerance,
                            "\(name) gradient of \(parameter)", file: file, line: line)
        }
        for (buffer, tensor) in layer.namedBuffers() {
            try assertClose(tensor, f.required("\(name).after.\(buffer)"), tolerance: tolerance, "\(name) buffer \(buffer)",
                            file: file, line: line)
        }
    }

    func testLinearMatchesPyTorch() throws {
        let layer = try Linear(4, 3)
        try verify("linear", layer) { (try layer($0), [:]) }
    }

    func testConv1dMatchesPyTorch() throws {
        let layer = try Conv1d(3, 4, kernel: 3, stride: 2, padding: 1)
        try verify("conv1d", layer) { (try layer($0), [:]) }
        let grouped = try Conv1d(4, 6, kernel: 3, padding: 2, dilation: 2, groups: 2, bias: false)
        try verify("conv1d_grouped", grouped) { (try grouped($0), [:]) }
    }

    func testConv2dMatchesPyTorch() throws {
        let layer = try Conv2d(2, 3, kernel: (3, 2), stride: (2, 1), padding: (1, 0))
        try verify("conv2d", layer) { (try layer($0), [:]) }
    }

    func testBatchNormMatchesPyTorchInTrainingAndEvaluation() throws {
        let training = try BatchNorm1d(3)
        try verify("batchnorm_train", training) { (try training($0), [:]) }
        let evaluation = try BatchNorm2d(3)
        evaluation.setTraining(false)
        try verify("batchnorm_eval", evaluation) { (try evaluation($0), [:]) }
    }

    func testLayerNormMatchesPyTorch() throws {
        let layer = try LayerNorm(5)
        try verify("layernorm", layer) { (try layer($0), [:]) }
    }

    func testSequentialMatchesPyTorch() throws {
        let layer = Sequential([try Linear(4, 6), ActivationLayer(.relu), try Linear(6, 2)])
        try verify("sequential", layer) { (try layer($0), [:]) }
    }

    func testLSTMMatchesPyTorch() throws {
        let layer = try LSTM(inputSize: 4, hiddenSize: 5, layers: 2, bidirectional: true)
        try verify("lstm", layer) {
            let r = try layer.forward($0)
            return (r.output, ["h": r.state.h, "c": r.state.c])
        }
        let single = try LSTM(inputSize: 3, hiddenSize: 4)
        try verify("lstm_single", single) {
            let r = try single.forward($0)
            return (r.output, ["h": r.state.h, "c": r.state.c])
        }
    }

    func testGRUMatchesPyTorch() throws {
        let layer = try GRU(inputSize: 4, hiddenSize: 5, layers: 2, bidirectional: true)
        try verify("gru", layer) {
            let r = try layer.forward($0)
            return (r.output, ["h": r.state])
        }
    }

    func testMultiheadAttentionMatchesPyTorchWithHeadWiseWeights() throws {
        let layer = try MultiheadAttention(embedDim: 8, heads: 2)
        try verify("mha", layer) {
            let r = try layer.forward(query: $0, key: $0, value: $0)
            XCTAssertEqual(r.weights.shape, [2, 2, 5, 5])
            return (r.output, ["weights": r.weights])
        }
    }

    func testMultiheadAttentionMatchesPyTorchWithMasksAndSeparateKeys() throws {
        let f = try Self.fixtures.get()
        let causal = try f.required("mha_masked.attn_mask"), padding = try f.required("mha_masked.key_padding_mask")
        XCTAssertEqual(padding.dtype, .bool)
        let layer = try MultiheadAttention(embedDim: 8, heads: 4)
        try verify("mha_masked", layer) {
            let memory = try $0.flipped(axes: [1]) * 0.5
            let r = try layer.forward(query: $0, key: memory, value: memory, attentionMask: causal, keyPaddingMask: padding)
            return (r.output, ["weights": r.weights])
        }
    }

    func testTransformerEncoderLayerMatchesPyTorchPostNormAndPreNorm() throws {
        let postNorm = try TransformerEncoderLayer(modelSize: 8, heads: 2, feedForward: 16, dropout: 0)
        try verify("transformer_post", postNorm) { (try postNorm($0), [:]) }
        let preNorm = try TransformerEncoderLayer(modelSize: 8, heads: 2, feedForward: 16, dropout: 0, activation: .gelu, normFirst: true)
        try verify("transformer_pre_gelu", preNorm) { (try preNorm($0), [:]) }
    }
}

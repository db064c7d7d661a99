import XCTest
@testable import Torch
import TestSupport

/// Finite-difference checks (float64) of every layer, for its input and all its parameters.
final class LayerGradientTests: IsolatedTestCase {
    override func setUp() { Runtime.manualSeed(13) }

    /// Converts `layer` to float64 and checks the gradients of `forward(layer, x)` weighted to a scalar.
    private func check(_ what: String, _ layer: any Module, input shape: [Int], file: StaticString = #filePath, line: UInt = #line,
                       _ forward: (Tensor) throws -> Tensor) throws {
        try layer.convert(to: .float64)
        let x = try GradientCheck.input(shape)
        let w = try GradientCheck.weighting(like: try forward(x))
        XCTAssertFalse(layer.parameters.isEmpty && !(layer is Dropout), "\(what) has no parameters", file: file, line: line)
        try GradientCheck.check(what, [x] + layer.parameters, file: file, line: line) { try (forward(x) * w).sum() }
    }

    func testConvolutionalAndLinearLayersMatchFiniteDifferences() throws {
        let linear = try Linear(3, 2)
        try check("Linear", linear, input: [2, 3]) { try linear($0) }
        let conv1 = try Conv1d(4, 2, kernel: 3, stride: 2, padding: 1, groups: 2)
        try check("Conv1d", conv1, input: [2, 4, 6]) { try conv1($0) }
        let conv2 = try Conv2d(2, 2, kernel: (2, 3), padding: (1, 0))
        try check("Conv2d", conv2, input: [1, 2, 3, 4]) { try conv2($0) }
    }

    func testNormalisationAndDropoutLayersMatchFiniteDifferences() throws {
        let batchNorm = try BatchNorm1d(3)
        try check("BatchNorm1d (training)", batchNorm, input: [4, 3, 2]) { try batchNorm($0) }
        let layerNorm = try LayerNorm(4)
        try check("LayerNorm", layerNorm, input: [2, 3, 4]) { try layerNorm($0) }
        let dropout = try Dropout(0.4)
        try check("Dropout (fixed seed)", dropout, input: [3, 4]) {
            Runtime.manualSeed(9)
            return try dropout($0)
        }
    }

    func testRecurrentLayersMatchFiniteDifferences() throws {
        let lstm = try LSTM(inputSize: 2, hiddenSize: 2, layers: 2, bidirectional: true)
        try check("LSTM (2 layers, bidirectional)", lstm, input: [2, 3, 2]) { try lstm($0) }
        let gru = try GRU(inputSize: 2, hiddenSize: 2, bidirectional: true)
        try check("GRU (bidirectional)", gru, input: [2, 3, 2]) { try gru.forward($0).state }
    }

    func testAttentionLayersMatchFiniteDifferences() throws {
        let attention = try MultiheadAttention(embedDim: 4, heads: 2)
        try check("MultiheadAttention", attention, input: [2, 3, 4]) { try attention($0) }
        let encoder = try TransformerEncoderLayer(modelSize: 4, heads: 2, feedForward: 6, dropout: 0)
        try check("TransformerEncoderLayer (post-norm)", encoder, input: [2, 3, 4]) { try encoder($0) }
        let preNorm = try TransformerEncoderLayer(modelSize: 4, heads: 2, feedForward: 6, dropout: 0, activation: .gelu, normFirst: true)
        try check("TransformerEncoderLayer (pre-norm, GELU)", preNorm, input: [2, 3, 4]) { try preNorm($0) }
        let sequential = Sequential([try Linear(4, 3), ActivationLayer(.tanh), try Linear(3, 2)])
        try check("Sequential", sequential, input: [2, 4]) { try sequential($0) }
    }
}

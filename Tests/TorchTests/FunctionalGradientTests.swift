import XCTest
@testable import Torch
import TestSupport

/// Finite-difference checks (float64) of every differentiable kernel in `Functional`.
final class FunctionalGradientTests: IsolatedTestCase {
    override func setUp() { Runtime.manualSeed(12) }

    /// Checks a kernel of `inputs`, its output weighted to a scalar.
    private func check(_ what: String, _ inputs: [Tensor], file: StaticString = #filePath, line: UInt = #line,
                       _ op: () throws -> Tensor) throws {
        let w = try GradientCheck.weighting(like: try op())
        try GradientCheck.check(what, inputs, file: file, line: line) { try (op() * w).sum() }
    }

    func testConvolutionsAndLinearMatchFiniteDifferences() throws {
        let x1 = try GradientCheck.input([2, 4, 7]), w1 = try GradientCheck.input([6, 2, 3]), b1 = try GradientCheck.input([6])
        try check("conv1d", [x1, w1, b1]) {
            try Functional.conv1d(x1, weight: w1, bias: b1, stride: 2, padding: 1, dilation: 2, groups: 2)
        }
        let x2 = try GradientCheck.input([1, 2, 5, 4]), w2 = try GradientCheck.input([3, 2, 3, 2]), b2 = try GradientCheck.input([3])
        try check("conv2d", [x2, w2, b2]) {
            try Functional.conv2d(x2, weight: w2, bias: b2, stride: (2, 1), padding: (1, 1), dilation: (1, 2))
        }
        let x = try GradientCheck.input([3, 4]), w = try GradientCheck.input([2, 4]), b = try GradientCheck.input([2])
        try check("linear", [x, w, b]) { try Functional.linear(x, weight: w, bias: b) }
    }

    func testPoolingMatchesFiniteDifferences() throws {
        let x1 = try GradientCheck.input([2, 3, 8]), x2 = try GradientCheck.input([1, 2, 6, 4])
        try check("max pool 1d", [x1]) { try Functional.pool(x1, max: true, kernel: [3], stride: [2], padding: [1]) }
        try check("average pool 1d", [x1]) { try Functional.pool(x1, max: false, kernel: [2]) }
        try check("max pool 2d", [x2]) { try Functional.pool(x2, max: true, kernel: [2, 2]) }
        try check("average pool 2d", [x2]) { try Functional.pool(x2, max: false, kernel: [3, 2], stride: [1, 2]) }
        try check("adaptive average pool 1d", [x1]) { try Functional.adaptivePool(x1, max: false, output: [3]) }
        try check("adaptive max pool 1d", [x1]) { try Functional.adaptivePool(x1, max: true, output: [1]) }
        try check("adaptive average pool 2d", [x2]) { try Functional.adaptivePool(x2, max: false, output: [2, 2]) }
        try check("adaptive max pool 2d", [x2]) { try Functional.adaptivePool(x2, max: true, output: [3, 1]) }
    }

    func testNormalisationAndDropoutMatchFiniteDifferences() throws {
        let x = try GradientCheck.input([4, 3, 5]), gamma = try GradientCheck.input([3]), beta = try GradientCheck.input([3])
        try check("batch norm (training)", [x, gamma, beta]) {
            try Functional.batchNorm(x, weight: gamma, bias: beta, runningMean: nil, runningVar: nil, training: true)
        }
        let mean = try Tensor.randn([3], dtype: .float64), variance = try Tensor.rand([3], dtype: .float64) + 0.5
        try check("batch norm (evaluation)", [x, gamma, beta]) {
            try Functional.batchNorm(x, weight: gamma, bias: beta, runningMean: mean, runningVar: variance, training: false)
        }
        let g5 = try GradientCheck.input([5]), b5 = try GradientCheck.input([5])
        try check("layer norm", [x, g5, b5]) { try Functional.layerNorm(x, normalizedShape: [5], weight: g5, bias: b5) }
        try check("dropout (training, fixed seed)", [x]) {
            Runtime.manualSeed(5)
            return try Functional.dropout(x, p: 0.3, training: true)
        }
    }

    func testSoftmaxAndLossesMatchFiniteDifferences() throws {
        let logits = try GradientCheck.input([4, 5], low: -2, high: 2)
        try check("softmax", [logits]) { try Functional.softmax(logits, axis: 1) }
        try check("log softmax", [logits]) { try Functional.logSoftmax(logits, axis: 0) }
        let labels = try Tensor([0, 3, 4, 1] as [Int64])
        let classWeights = try Tensor([1, 2, 0.5, 1, 3] as [Double])
        try GradientCheck.check("cross entropy", [logits]) { try Functional.crossEntropy(logits: logits, labels: labels) }
        try GradientCheck.check("cross entropy with weights and smoothing", [logits]) {
            try Functional.crossEntropy(logits: logits, labels: labels, weight: classWeights, labelSmoothing: 0.1)
        }
        try check("cross entropy per sample", [logits]) {
            try Functional.crossEntropy(logits: logits, labels: labels, reduction: .none)
        }
        let target = try Tensor.randn([4, 5], dtype: .float64)
        try GradientCheck.check("mse loss", [logits]) { try Functional.mseLoss(logits, target) }
    }

    func testAttentionMatchesFiniteDifferences() throws {
        let q = try GradientCheck.input([2, 3, 4]), k = try GradientCheck.input([2, 5, 4]), v = try GradientCheck.input([2, 5, 3])
        let mask = try Tensor.randn([3, 5], dtype: .float64)
        try check("attention", [q, k, v]) { try Functional.attention(query: q, key: k, value: v, mask: mask).output }
    }

    func testRecurrentKernelsMatchFiniteDifferences() throws {
        let x = try GradientCheck.input([2, 3, 2])
        let lstmWeights = try [[8, 2], [8, 2], [8], [8]].map { try GradientCheck.input($0) }
        let h0 = try GradientCheck.input([1, 2, 2]), c0 = try GradientCheck.input([1, 2, 2])
        try check("lstm", [x, h0, c0] + lstmWeights) {
            let r = try Functional.lstm(x, parameters: lstmWeights, layers: 1, initial: (h0, c0))
            return try Tensor.concatenate([r.output.flattened(), r.h.flattened(), r.c.flattened()], alongAxis: 0)
        }
        let gruWeights = try [[6, 2], [6, 2], [6], [6]].map { try GradientCheck.input($0) }
        try check("gru", [x, h0] + gruWeights) {
            let r = try Functional.gru(x, parameters: gruWeights, layers: 1, initial: h0)
            return try Tensor.concatenate([r.output.flattened(), r.h.flattened()], alongAxis: 0)
        }
    }
}

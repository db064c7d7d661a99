import XCTest
@testable import Torch
import TestSupport

/// Finite-difference checks (float64) of every differentiable Tensor operation.
final class TensorGradientTests: IsolatedTestCase {
    override func setUp() { Runtime.manualSeed(11) }

    /// Checks `op` on one input of `shape` with values in [low, high), weighted to a scalar.
    private func checkUnary(_ what: String, _ shape: [Int] = [2, 3], low: Double = -1, high: Double = 1,
                            file: StaticString = #filePath, line: UInt = #line, _ op: (Tensor) throws -> Tensor) throws {
        let x = try GradientCheck.input(shape, low: low, high: high)
        let w = try GradientCheck.weighting(like: try op(x))
        try GradientCheck.check(what, [x], file: file, line: line) { try (op(x) * w).sum() }
    }

    func testElementwiseFunctionsMatchFiniteDifferences() throws {
        try checkUnary("relu") { try $0.relu() }
        try checkUnary("gelu") { try $0.gelu() }
        try checkUnary("sigmoid") { try $0.sigmoid() }
        try checkUnary("tanh") { try $0.tanh() }
        try checkUnary("elu") { try $0.elu() }
        try checkUnary("silu") { try $0.silu() }
        try checkUnary("leakyRelu") { try $0.leakyRelu(slope: 0.2) }
        try checkUnary("exp") { try $0.exp() }
        try checkUnary("log", low: 0.5, high: 2) { try $0.log() }
        try checkUnary("abs") { try $0.abs() }
        try checkUnary("sqrt", low: 0.5, high: 2) { try $0.sqrt() }
        try checkUnary("rsqrt", low: 0.5, high: 2) { try $0.rsqrt() }
        try checkUnary("squared") { try $0.squared() }
        try checkUnary("sin") { try $0.sin() }
        try checkUnary("cos") { try $0.cos() }
        try checkUnary("clamped") { try $0.clamped(-0.5, 0.5) }
        try checkUnary("pow", low: 0.5, high: 2) { try $0.pow(2.5) }
        try checkUnary("negation") { try -$0 }
        try checkUnary("scalar arithmetic") { try ((2.0 - $0) * 3 + 1) / 4 - 0.5 }
        try checkUnary("scalar division", low: 0.5, high: 2) { try 1.0 / $0 }
    }

    func testBinaryOperationsMatchFiniteDifferences() throws {
        let a = try GradientCheck.input([2, 3]), b = try GradientCheck.input([2, 3], low: 0.5, high: 2)
        let row = try GradientCheck.input([3])
        let w = try GradientCheck.weighting(like: a)
        try GradientCheck.check("add", [a, b]) { try ((a + b) * w).sum() }
        try GradientCheck.check("subtract (broadcast)", [a, row]) { try ((a - row) * w).sum() }
        try GradientCheck.check("multiply", [a, b]) { try (a * b * w).sum() }
        try GradientCheck.check("divide", [a, b]) { try (a / b * w).sum() }
        try GradientCheck.check("maximum", [a, b]) { try (a.maximum(b) * w).sum() }
        try GradientCheck.check("minimum", [a, b]) { try (a.minimum(b) * w).sum() }
        let condition = try a.greater(0)
        try GradientCheck.check("where", [a, b]) { try (condition.select(a, else: b) * w).sum() }
        let m = try GradientCheck.input([3, 4]), batchA = try GradientCheck.input([2, 2, 3]), batchB = try GradientCheck.input([2, 3, 2])
        let wm = try GradientCheck.weighting(like: try a.matmul(m))
        try GradientCheck.check("matmul", [a, m]) { try (a.matmul(m) * wm).sum() }
        let wb = try GradientCheck.weighting(like: try batchA.bmm(batchB))
        try GradientCheck.check("bmm", [batchA, batchB]) { try (batchA.bmm(batchB) * wb).sum() }
    }

    func testReductionsMatchFiniteDifferences() throws {
        let x = try GradientCheck.input([3, 4])
        let w = try GradientCheck.weighting(like: try x.sum(alongAxes: 1))
        try GradientCheck.check("sum", [x]) { try x.sum() }
        try GradientCheck.check("sum along axis", [x]) { try (x.sum(alongAxes: 1) * w).sum() }
        try GradientCheck.check("mean", [x]) { try (x * x).mean() }
        try GradientCheck.check("mean along axis", [x]) { try (x.mean(alongAxes: 1) * w).sum() }
        try GradientCheck.check("max", [x]) { try x.max() }
        try GradientCheck.check("max along axis", [x]) { try (x.max(alongAxes: 1) * w).sum() }
        try GradientCheck.check("min", [x]) { try x.min() }
        try GradientCheck.check("min along axis", [x]) { try (x.min(alongAxes: 1) * w).sum() }
        try GradientCheck.check("variance", [x]) { try (x.variance(alongAxes: [1]) * w).sum() }
        try GradientCheck.check("biased variance", [x]) { try x.variance(unbiased: false) }
        try GradientCheck.check("standard deviation", [x]) { try (x.standardDeviation(alongAxes: [1]) * w).sum() }
        try GradientCheck.check("logSumExp", [x]) { try (x.logSumExp(alongAxes: [1]) * w).sum() }
        try GradientCheck.check("product", [x]) { try x.product() }
        try GradientCheck.check("norm", [x]) { try x.norm() }
    }

    func testShapeOperationsMatchFiniteDifferences() throws {
        let x = try GradientCheck.input([2, 3, 4])
        func check(_ what: String, file: StaticString = #filePath, line: UInt = #line, _ op: (Tensor) throws -> Tensor) throws {
            let w = try GradientCheck.weighting(like: try op(x))
            try GradientCheck.check(what, [x], file: file, line: line) { try (op(x) * w).sum() }
        }
        try check("reshaped") { try $0.reshaped(to: [6, 4]) }
        try check("viewed") { try $0.viewed(as: [4, 6]) }
        try check("permuted") { try $0.permuted(2, 0, 1) }
        try check("transposed") { try $0.transposed(0, 2) }
        try check("expanded") { try $0.unsqueezed(axis: 0).expanded(to: [3, 2, 3, 4]) }
        try check("repeated") { try $0.repeated([1, 2, 1]) }
        try check("contiguous") { try $0.transposed(1, 2).contiguous() }
        try check("squeezed") { try $0.unsqueezed(axis: 1).squeezed(axis: 1) }
        try check("squeezed all") { try $0.unsqueezed(axis: 3).squeezed() }
        try check("flattened") { try $0.flattened(from: 1) }
        try check("narrowed") { try $0.narrowed(axis: 2, start: 1, length: 2) }
        try check("sliced") { try $0.sliced(axis: 2, start: 0, end: 4, step: 2) }
        try check("selecting") { try $0.selecting(axis: 1, index: 2) }
        let indices = try Tensor([2, 0, 2] as [Int64])
        try check("indexSelected") { try $0.indexSelected(axis: 1, indices: indices) }
        let gatherIndices = try Tensor.randint(0..<4, shape: [2, 3, 2])
        try check("gathered") { try $0.gathered(axis: 2, indices: gatherIndices) }
        try check("flipped") { try $0.flipped(axes: [0, 2]) }
        try check("cloned") { try $0.cloned() }
        let y = try GradientCheck.input([2, 3, 4])
        let wc = try GradientCheck.weighting(like: try Tensor.concatenate([x, y], alongAxis: 1))
        try GradientCheck.check("concatenate", [x, y]) { try (Tensor.concatenate([x, y], alongAxis: 1) * wc).sum() }
        let ws = try GradientCheck.weighting(like: try Tensor.stack([x, y], alongAxis: 0))
        try GradientCheck.check("stack", [x, y]) { try (Tensor.stack([x, y], alongAxis: 0) * ws).sum() }
    }
}

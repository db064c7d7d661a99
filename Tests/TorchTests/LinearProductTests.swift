import XCTest
@testable import Torch
import TestSupport

/// Linear layers' float32 products on oneDNN's sgemm (`ctorch_linear.cpp`) where the recurrent products' policy puts
/// every product there: outputs and the gradients of input, weight and bias against float64 `at::linear` on the same
/// values, for 1-D, 2-D and 3-D inputs with and without bias, recording and not; and `at::linear` where the policy
/// keeps OpenBLAS.
///
/// Tolerance: float32 sums of at most 37 products of values below 3 in magnitude; any summation order keeps each within
/// 37·3·3·ε ≈ 4e-5 of the float64 sum, so 1e-4 is above the worst case on any CPU and far below a wrong term.
final class LinearProductTests: IsolatedTestCase {
    private let tolerance = 1e-4

    private struct Result { let output: Tensor; let gradients: [Tensor?]; let node: String? }

    /// y = linear(x, w, b), then backward of Σ y·u, in `dtype`.
    private func run(_ x: Tensor, _ w: Tensor, _ b: Tensor?, _ u: Tensor, dtype: DType) throws -> Result {
        let leaves = try ([x, w] + (b.map { [$0] } ?? [])).map { try $0.converted(to: dtype).detached() }
        for leaf in leaves { try leaf.setRequiresGrad(true) }
        let y = try Functional.linear(leaves[0], weight: leaves[1], bias: leaves.count > 2 ? leaves[2] : nil)
        try (y * u.converted(to: dtype)).sum().backward()
        return Result(output: y, gradients: leaves.map(\.grad), node: y.gradientFunctionName)
    }

    func testFloat32ProductsMatchFloat64AtEveryInputRank() throws {
        defer { Runtime.forceRecurrentBackwardProducts(nil) }
        Runtime.forceRecurrentBackwardProducts(.onednn)
        let onOneDNN = Runtime.recurrentMatmulLibrary == "onednn"
        Runtime.manualSeed(23)
        for (shape, bias) in [([5, 37], true), ([3, 4, 37], false), ([37], true), ([2, 3, 4, 37], true), ([64, 37], false)] {
            let x = try Tensor.randn(shape), w = try Tensor.randn([11, 37]), b = bias ? try Tensor.randn([11]) : nil
            let u = try Tensor.randn(Array(shape.dropLast()) + [11])
            let ours = try run(x, w, b, u, dtype: .float32), reference = try run(x, w, b, u, dtype: .float64)
            let what = "input \(shape), bias \(bias)"
            XCTAssertEqual(ours.output.shape, Array(shape.dropLast()) + [11], what)
            try assertClose(ours.output.converted(to: .float64), reference.output, tolerance: tolerance, "output, \(what)")
            for (index, (g, expected)) in zip(ours.gradients, reference.gradients).enumerated() {
                let (g, expected) = (try XCTUnwrap(g, "gradient \(index), \(what)"), try XCTUnwrap(expected))
                try assertClose(g.converted(to: .float64), expected, tolerance: tolerance, "gradient \(index), \(what)")
            }
            if shape.count == 2 {  // other ranks end in the view back to their shape
                let node = bias ? "LinearProduct" : "Product"
                XCTAssertEqual(ours.node?.contains(node), onOneDNN, "\(what): \(ours.node ?? "no node")")
            }
            // Without recording, the same product.
            let evaluated = try withNoGrad { try Functional.linear(x, weight: w, bias: b) }
            XCTAssertNil(evaluated.gradientFunctionName)
            try assertClose(evaluated.converted(to: .float64), reference.output, tolerance: tolerance, "no_grad output, \(what)")
            let inferred = try withInferenceMode { try Functional.linear(x, weight: w, bias: b) }
            try assertClose(inferred.converted(to: .float64), reference.output, tolerance: tolerance, "inference output, \(what)")
        }
    }

    func testFrozenWeightsGetNoGradientAndTheInputStillDoes() throws {
        defer { Runtime.forceRecurrentBackwardProducts(nil) }
        Runtime.forceRecurrentBackwardProducts(.onednn)
        Runtime.manualSeed(24)
        let x = try Tensor.randn([6, 9]), w = try Tensor.randn([4, 9]), b = try Tensor.randn([4])
        try x.setRequiresGrad(true)
        let y = try Functional.linear(x, weight: w, bias: b)
        try y.sum().backward()
        XCTAssertNil(w.grad)
        XCTAssertNil(b.grad)
        // d Σ y / dx = the column sums of w, in every row.
        let expected = try w.sum(alongAxes: 0).reshaped(to: [1, 9]).expanded(to: [6, 9])
        try assertClose(try XCTUnwrap(x.grad), expected, tolerance: tolerance, "input gradient")
    }

    func testOpenBLASPoliciesKeepATensLinear() throws {
        defer { Runtime.forceRecurrentBackwardProducts(nil) }
        Runtime.manualSeed(25)
        for policy in [RecurrentBackwardProducts.aten, .atenAndOneDNN] {
            Runtime.forceRecurrentBackwardProducts(policy)
            let x = try Tensor.randn([5, 8]), w = try Tensor.randn([3, 8]), b = try Tensor.randn([3])
            try w.setRequiresGrad(true)
            let node = try Functional.linear(x, weight: w, bias: b).gradientFunctionName ?? ""
            XCTAssertFalse(node.contains("LinearProduct"), "\(policy): \(node)")
            XCTAssertTrue(node.contains("Addmm"), "\(policy): at::linear's addmm, got \(node)")
        }
    }
}

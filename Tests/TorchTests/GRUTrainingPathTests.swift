import Foundation
import XCTest
@testable import Torch
import TestSupport

/// The GRU training path (`ctorch_gru_training.cpp`: one autograd node per layer whose backward batches the weight
/// gradients of all steps) against the cell equations written out here with Torch's own differentiable operations
/// (matmul, sigmoid, tanh, products), step by step: the same outputs and final state, and the same gradients for the
/// input, the initial state and every weight, in float64; and float32 (oneDNN's products) against float64.
///
/// Tolerance: both sides are float64 sums of at most 2·hidden + 1 = 9 products per gate over 5 steps and 2 layers;
/// any summation order keeps them within a few hundred ε (≈ 1e-13) of each other, far below a wrong term.
final class GRUTrainingPathTests: IsolatedTestCase {
    private let (batch, steps, inputs, hidden, layers) = (2, 5, 3, 4, 2)

    /// The equations with autograd, in PyTorch's order r, z, n: r, z = σ(x·W_iᵀ + b_i + h·W_hᵀ + b_h),
    /// n = tanh(x·W_inᵀ + b_in + r · (h·W_hnᵀ + b_hn)), h' = (1 − z) · n + z · h.
    private func equations(_ gru: GRU, _ x: Tensor, _ h0: Tensor) throws -> (output: Tensor, h: Tensor) {
        let named = Dictionary(uniqueKeysWithValues: gru.namedParameters().map { ($0.name, $0.tensor) })
        var sequence = try (0..<x.shape[1]).map { try x.selecting(axis: 1, index: $0) }
        var hs: [Tensor] = []
        let hidden = gru.hiddenSize
        for layer in 0..<gru.layers {
            let wih = try XCTUnwrap(named["weight_ih_l\(layer)"]).transposed(0, 1)
            let whh = try XCTUnwrap(named["weight_hh_l\(layer)"]).transposed(0, 1)
            let (bih, bhh) = (try XCTUnwrap(named["bias_ih_l\(layer)"]), try XCTUnwrap(named["bias_hh_l\(layer)"]))
            var h = try h0.selecting(axis: 0, index: layer)
            var outputs: [Tensor] = []
            for xt in sequence {
                let fromInput = try xt.matmul(wih) + bih, fromHidden = try h.matmul(whh) + bhh
                let third = { (t: Tensor, k: Int) in try t.narrowed(axis: 1, start: k * hidden, length: hidden) }
                let r = try (third(fromInput, 0) + third(fromHidden, 0)).sigmoid()
                let z = try (third(fromInput, 1) + third(fromHidden, 1)).sigmoid()
                let n = try (third(fromInput, 2) + r * third(fromHidden, 2)).tanh()
                h = try (1 - z) * n + z * h
                outputs.append(h)
            }
            hs.append(h)
            sequence = outputs
        }
        return (try Tensor.stack(sequence, alongAxis: 1), try Tensor.stack(hs, alongAxis: 0))
    }

    /// Gradients of Σ output·gy + Σ h·gh for the input, the initial state and every parameter.
    private func gradients(_ gru: GRU, _ result: (output: Tensor, h: Tensor), _ leaves: [Tensor],
                           _ weights: (Tensor, Tensor)) throws -> [[Double]] {
        for leaf in leaves + gru.parameters { try leaf.clearGrad() }
        let loss = try (result.output * weights.0).sum() + (result.h * weights.1).sum()
        try loss.backward()
        return try (leaves + gru.parameters).map { try XCTUnwrap($0.grad, "a gradient").scalars(as: Double.self) }
    }

    /// The GRU converted to `dtype` run on `x` and `h0` (converted too) on the training path: its outputs, final state
    /// and the gradients `gradients` gives for `weights`, as one list each.
    private func trainingValues(_ gru: GRU, _ x: Tensor, _ h0: Tensor, _ weights: (Tensor, Tensor),
                                _ dtype: DType) throws -> [[Double]] {
        try gru.convert(to: dtype)
        let leaves = try [x, h0].map { try $0.converted(to: dtype).detached() }
        for leaf in leaves { try leaf.setRequiresGrad(true) }
        let result = try gru.forward(leaves[0], initial: leaves[1])
        let cast = (try weights.0.converted(to: dtype), try weights.1.converted(to: dtype))
        let values = try [result.output, result.state].map { try $0.scalars(as: Double.self) }
        return values + (try gradients(gru, (result.output, result.state), leaves, cast))
    }

    /// The names of `trainingValues`' lists, in its order.
    private func valueNames(_ gru: GRU) -> [String] {
        ["output", "h_n", "input", "h0"] + gru.namedParameters().map { "gradient of \($0.name)" }
    }

    func testOutputsAndGradientsMatchTheCellEquations() throws {
        Runtime.manualSeed(17)
        let gru = try GRU(inputSize: inputs, hiddenSize: hidden, layers: layers)
        try gru.convert(to: .float64)
        let x = try Tensor.randn([batch, steps, inputs], dtype: .float64)
        let h0 = try Tensor.randn([layers, batch, hidden], dtype: .float64)
        for leaf in [x, h0] { try leaf.setRequiresGrad(true) }
        let weights = (try Tensor.randn([batch, steps, hidden], dtype: .float64), try Tensor.randn([layers, batch, hidden], dtype: .float64))

        let path = try gru.forward(x, initial: h0)
        let written = try equations(gru, x, h0)
        try assertClose(path.output, written.output, tolerance: 1e-12, "output")
        try assertClose(path.state, written.h, tolerance: 1e-12, "h_n")

        let fromPath = try gradients(gru, (path.output, path.state), [x, h0], weights)
        let fromEquations = try gradients(gru, written, [x, h0], weights)
        let names = ["input", "h0"] + gru.namedParameters().map { "gradient of \($0.name)" }
        assertValueListsAgree(fromPath, fromEquations, names: names, tolerance: 1e-12, nonTrivial: 1e-3)
    }

    /// Time-major, one layer, without an initial state (zeros that need no gradient): the output comes straight from
    /// the path's own autograd node, and outputs and weight gradients match the equations.
    func testTimeMajorWithoutInitialStateMatchesTheCellEquations() throws {
        Runtime.manualSeed(23)
        let gru = try GRU(inputSize: inputs, hiddenSize: hidden, layers: 1, batchFirst: false)
        try gru.convert(to: .float64)
        let x = try Tensor.randn([steps, batch, inputs], dtype: .float64)
        try x.setRequiresGrad(true)
        let zeros = try Tensor.zeros([1, batch, hidden], dtype: .float64)
        let weights = (try Tensor.randn([steps, batch, hidden], dtype: .float64), try Tensor.randn([1, batch, hidden], dtype: .float64))
        let path = try gru.forward(x)
        XCTAssertTrue(path.output.gradientFunctionName?.contains("GRULayer") ?? false,
                      "the output's node is the training path's, not at::gru's: \(path.output.gradientFunctionName ?? "none")")
        // The equations run batch-first: the same input transposed, the output transposed back.
        let written = try equations(gru, x.transposed(0, 1), zeros)
        let writtenTimeMajor = (output: try written.output.transposed(0, 1), h: written.h)
        try assertClose(path.output, writtenTimeMajor.output, tolerance: 1e-12, "output")
        let fromPath = try gradients(gru, (path.output, path.state), [x], weights)
        let fromEquations = try gradients(gru, writtenTimeMajor, [x], weights)
        let names = ["input"] + gru.namedParameters().map { "gradient of \($0.name)" }
        assertValueListsAgree(fromPath, fromEquations, names: names, tolerance: 1e-12, nonTrivial: 1e-3)
    }

    /// float32, whose matrix products run on oneDNN's sgemm (`ctorch_gemm.h`) where the build has it: outputs and
    /// gradients against the same layer's float64 run, on sizes where every product has several rows and columns,
    /// with the backward's dL/dh and weight-gradient products forced to each of their forms in turn. Tolerance: float32
    /// sums of up to 2·hidden + inputs = 37 products per gate, carried over 9 steps, stay within about 1e-5 of float64
    /// on values of order 1; a transposed or misplaced operand is off by order 1. 1030 inputs take dL/dW_ih as written
    /// where the narrower input takes it transposed (`transposes_weight_gradient`).
    func testFloat32MatchesFloat64ForEveryBackwardProductForm() throws {
        defer { Runtime.forceRecurrentBackwardProducts(nil) }
        for (inputs, inputScale) in [(5, 1.0), (1030, 0.2)] {
            Runtime.manualSeed(29)
            let (batch, steps, hidden) = (3, 9, 16)
            let gru = try GRU(inputSize: inputs, hiddenSize: hidden, layers: 2)
            let x = try Tensor.randn([batch, steps, inputs]) * inputScale
            let h0 = try Tensor.randn([2, batch, hidden])
            let weights = (try Tensor.randn([batch, steps, hidden]), try Tensor.randn([2, batch, hidden]))
            func run(_ dtype: DType) throws -> [[Double]] { try trainingValues(gru, x, h0, weights, dtype) }
            Runtime.forceRecurrentBackwardProducts(nil)
            let double = try run(.float64)
            for products in RecurrentBackwardProducts.allCases {
                Runtime.forceRecurrentBackwardProducts(products)
                assertValueListsAgree(try run(.float32), double, names: valueNames(gru), tolerance: 1e-4, nonTrivial: 1e-2,
                                      "\(inputs) inputs, backward products \(products.rawValue)")
            }
        }
    }

    /// float32 GRU steps take the gate maths in one pass, forward and backward (`ctorch::fused::gru_cell` and
    /// `gru_cell_backward`), compiled once per instruction set: every copy this CPU runs, on the training path
    /// (outputs, final state and every gradient) and on the inference path (outputs), against the same layers in
    /// float64 (libtorch's element-wise calls). A hidden size of 37 leaves tail lanes at every vector width, and the
    /// gradients reach the cells both through the outputs and through the final state. Tolerance as above: float32
    /// sums of up to 2·37 + 6 = 80 products per gate over 10 steps stay within about 1e-5 of float64 on values of order
    /// 1, where a wrong gate term is off by order 0.1.
    func testTheOnePassGRUCellMatchesFloat64OnEveryInstructionSet() throws {
        Runtime.manualSeed(37)
        let (batch, steps, inputs, hidden) = (3, 10, 6, 37)
        let gru = try GRU(inputSize: inputs, hiddenSize: hidden, layers: 2)
        let x = try Tensor.randn([batch, steps, inputs]), h0 = try Tensor.randn([2, batch, hidden])
        let weights = (try Tensor.randn([batch, steps, hidden]), try Tensor.randn([2, batch, hidden]))
        func run(_ dtype: DType) throws -> (training: [[Double]], inference: [Double]) {
            let training = try trainingValues(gru, x, h0, weights, dtype)
            gru.setTraining(false)
            defer { gru.setTraining(true) }
            let inference = try withInferenceMode {
                try gru.forward(x.converted(to: dtype), initial: h0.converted(to: dtype)).output
            }
            return (training, try inference.scalars(as: Double.self))
        }
        let expected = try run(.float64)
        defer { try? FusedKernels.force(nil) }
        XCTAssertFalse(FusedKernels.available.isEmpty, "at least the default copy")
        for isa in FusedKernels.available {
            try FusedKernels.force(isa)
            let ours = try run(.float32)
            assertValueListsAgree(ours.training, expected.training, names: valueNames(gru), tolerance: 1e-4, nonTrivial: 1e-2,
                                  "\(isa) training path")
            assertValueListsAgree([ours.inference], [expected.inference], names: ["output"], tolerance: 1e-4,
                                  nonTrivial: 1e-2, "\(isa) inference path")
        }
    }
}

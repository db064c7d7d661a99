import Foundation
import XCTest
@testable import Torch
import TestSupport

/// The LSTM training path (`ctorch_lstm_training.cpp`: one autograd node per layer whose backward batches the weight
/// gradients of all steps) against the cell equations written out here with Torch's own differentiable operations
/// (matmul, sigmoid, tanh, products), step by step: the same outputs and final states, and the same gradients for the
/// input, the initial state and every weight, in float64.
///
/// Tolerance: both sides are float64 sums of at most 2·hidden + 1 = 9 products per gate over 5 steps and 2 layers;
/// any summation order keeps them within a few hundred ε (≈ 1e-13) of each other, far below a wrong term.
final class LSTMTrainingPathTests: IsolatedTestCase {
    private let (batch, steps, inputs, hidden, layers) = (2, 5, 3, 4, 2)

    /// The equations with autograd: gates = x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh, in PyTorch's order i, f, g, o.
    private func equations(_ lstm: LSTM, _ x: Tensor, _ h0: Tensor, _ c0: Tensor) throws -> (output: Tensor, h: Tensor, c: Tensor) {
        let named = Dictionary(uniqueKeysWithValues: lstm.namedParameters().map { ($0.name, $0.tensor) })
        var sequence = try (0..<steps).map { try x.selecting(axis: 1, index: $0) }
        var hs: [Tensor] = [], cs: [Tensor] = []
        for layer in 0..<layers {
            let wih = try XCTUnwrap(named["weight_ih_l\(layer)"]).transposed(0, 1)
            let whh = try XCTUnwrap(named["weight_hh_l\(layer)"]).transposed(0, 1)
            let bias = try XCTUnwrap(named["bias_ih_l\(layer)"]) + XCTUnwrap(named["bias_hh_l\(layer)"])
            var h = try h0.selecting(axis: 0, index: layer), c = try c0.selecting(axis: 0, index: layer)
            var outputs: [Tensor] = []
            for xt in sequence {
                let gates = try xt.matmul(wih) + h.matmul(whh) + bias
                let gate = { (k: Int) in try gates.narrowed(axis: 1, start: k * self.hidden, length: self.hidden) }
                c = try gate(1).sigmoid() * c + gate(0).sigmoid() * gate(2).tanh()
                h = try gate(3).sigmoid() * c.tanh()
                outputs.append(h)
            }
            hs.append(h)
            cs.append(c)
            sequence = outputs
        }
        return (try Tensor.stack(sequence, alongAxis: 1), try Tensor.stack(hs, alongAxis: 0), try Tensor.stack(cs, alongAxis: 0))
    }

    /// Gradients of Σ output·gy + Σ h·gh + Σ c·gc for the input, the initial state and every parameter.
    private func gradients(_ lstm: LSTM, _ result: (output: Tensor, h: Tensor, c: Tensor), _ leaves: [Tensor],
                           _ weights: (Tensor, Tensor, Tensor)) throws -> [[Double]] {
        for leaf in leaves + lstm.parameters { try leaf.clearGrad() }
        let loss = try (result.output * weights.0).sum() + (result.h * weights.1).sum() + (result.c * weights.2).sum()
        try loss.backward()
        return try (leaves + lstm.parameters).map { try XCTUnwrap($0.grad, "a gradient").scalars(as: Double.self) }
    }

    func testOutputsAndGradientsMatchTheCellEquations() throws {
        Runtime.manualSeed(17)
        let lstm = try LSTM(inputSize: inputs, hiddenSize: hidden, layers: layers)
        try lstm.convert(to: .float64)
        let x = try Tensor.randn([batch, steps, inputs], dtype: .float64)
        let h0 = try Tensor.randn([layers, batch, hidden], dtype: .float64)
        let c0 = try Tensor.randn([layers, batch, hidden], dtype: .float64)
        for leaf in [x, h0, c0] { try leaf.setRequiresGrad(true) }
        let weights = (try Tensor.randn([batch, steps, hidden], dtype: .float64), try Tensor.randn([layers, batch, hidden], dtype: .float64),
                       try Tensor.randn([layers, batch, hidden], dtype: .float64))

        let layer = try lstm.forward(x, initial: (h0, c0))
        let path = (output: layer.output, h: layer.state.h, c: layer.state.c)
        let written = try equations(lstm, x, h0, c0)
        try assertClose(path.output, written.output, tolerance: 1e-12, "output")
        try assertClose(path.h, written.h, tolerance: 1e-12, "h_n")
        try assertClose(path.c, written.c, tolerance: 1e-12, "c_n")

        let fromPath = try gradients(lstm, path, [x, h0, c0], weights)
        let fromEquations = try gradients(lstm, written, [x, h0, c0], weights)
        let names = ["input", "h0", "c0"] + lstm.namedParameters().map { "gradient of \($0.name)" }
        assertValueListsAgree(fromPath, fromEquations, names: names, tolerance: 1e-12, nonTrivial: 1e-3)
    }

    /// Without an initial state (zeros that need no gradient) and time-major: the same outputs and weight gradients.
    func testTimeMajorWithoutInitialStateMatchesTheCellEquations() throws {
        Runtime.manualSeed(23)
        let lstm = try LSTM(inputSize: inputs, hiddenSize: hidden, layers: layers, batchFirst: false)
        try lstm.convert(to: .float64)
        let x = try Tensor.randn([steps, batch, inputs], dtype: .float64)
        try x.setRequiresGrad(true)
        let zeros = try Tensor.zeros([layers, batch, hidden], dtype: .float64)
        let weights = (try Tensor.randn([steps, batch, hidden], dtype: .float64), try Tensor.randn([layers, batch, hidden], dtype: .float64),
                       try Tensor.randn([layers, batch, hidden], dtype: .float64))
        let layer = try lstm.forward(x)
        let path = (output: layer.output, h: layer.state.h, c: layer.state.c)
        // The equations run batch-first: the same input transposed, the output transposed back.
        let written = try equations(lstm, x.transposed(0, 1), zeros, zeros)
        let writtenTimeMajor = (output: try written.output.transposed(0, 1), h: written.h, c: written.c)
        try assertClose(path.output, writtenTimeMajor.output, tolerance: 1e-12, "output")
        let fromPath = try gradients(lstm, path, [x], weights)
        let fromEquations = try gradients(lstm, writtenTimeMajor, [x], weights)
        let names = ["input"] + lstm.namedParameters().map { "gradient of \($0.name)" }
        assertValueListsAgree(fromPath, fromEquations, names: names, tolerance: 1e-12, nonTrivial: 1e-3)
    }

    /// float32, whose matrix products run on oneDNN's sgemm (`ctorch_gemm.h`) where the build has it: outputs and
    /// gradients against the same layer's float64 run (ATen's GEMM), on sizes where every product has several rows
    /// and columns. Tolerance: float32 sums of up to 2·hidden + inputs = 37 products per gate, carried over 9 steps,
    /// stay within about 1e-5 of float64 on values of order 1; a transposed or misplaced operand is off by order 1.
    /// Run with the backward's dL/dh and weight-gradient products forced to each of their forms in turn
    /// (`Runtime.forceRecurrentBackwardProducts`), so every path is checked whichever this CPU chooses.
    func testFloat32MatchesFloat64() throws {
        try assertFloat32MatchesFloat64(inputs: 5, inputScale: 1)
    }

    /// The same with 1030 inputs, where ATen and `onednnTransposed` multiply dL/dW_ih as written instead of transposed
    /// (`transposes_weight_gradient` from 1024 columns on); the input scaled by 0.2 keeps the gates' input sums of
    /// order 1, as in the test above.
    func testFloat32MatchesFloat64WithAWideInput() throws {
        try assertFloat32MatchesFloat64(inputs: 1030, inputScale: 0.2)
    }

    /// The LSTM converted to `dtype` run on `x`, `h0` and `c0` (converted too) on the training path: its outputs, final
    /// states and the gradients `gradients` gives for `weights`, as one list each.
    private func trainingValues(_ lstm: LSTM, _ x: Tensor, _ h0: Tensor, _ c0: Tensor,
                                _ weights: (Tensor, Tensor, Tensor), _ dtype: DType) throws -> [[Double]] {
        try lstm.convert(to: dtype)
        let leaves = try [x, h0, c0].map { try $0.converted(to: dtype).detached() }
        for leaf in leaves { try leaf.setRequiresGrad(true) }
        let layer = try lstm.forward(leaves[0], initial: (leaves[1], leaves[2]))
        let result = (output: layer.output, h: layer.state.h, c: layer.state.c)
        let cast = (try weights.0.converted(to: dtype), try weights.1.converted(to: dtype), try weights.2.converted(to: dtype))
        let values = try [result.output, result.h, result.c].map { try $0.scalars(as: Double.self) }
        return values + (try gradients(lstm, result, leaves, cast))
    }

    /// The names of `trainingValues`' lists, in its order.
    private func valueNames(_ lstm: LSTM) -> [String] {
        ["output", "h_n", "c_n", "input", "h0", "c0"] + lstm.namedParameters().map { "gradient of \($0.name)" }
    }

    private func assertFloat32MatchesFloat64(inputs: Int, inputScale: Double) throws {
        defer { Runtime.forceRecurrentBackwardProducts(nil) }
        Runtime.manualSeed(29)
        let (batch, steps, hidden) = (3, 9, 16)
        let lstm = try LSTM(inputSize: inputs, hiddenSize: hidden, layers: 2)
        let x = try Tensor.randn([batch, steps, inputs]) * inputScale
        let h0 = try Tensor.randn([2, batch, hidden]), c0 = try Tensor.randn([2, batch, hidden])
        let weights = (try Tensor.randn([batch, steps, hidden]), try Tensor.randn([2, batch, hidden]),
                       try Tensor.randn([2, batch, hidden]))
        let double = try trainingValues(lstm, x, h0, c0, weights, .float64)
        for products in RecurrentBackwardProducts.allCases {
            Runtime.forceRecurrentBackwardProducts(products)
            assertValueListsAgree(try trainingValues(lstm, x, h0, c0, weights, .float32), double, names: valueNames(lstm),
                                  tolerance: 1e-4, nonTrivial: 1e-2, "backward products \(products.rawValue)")
        }
    }

    /// float32 LSTM steps take the gate maths in one pass, forward and backward (`ctorch::fused::lstm_cell` and
    /// `lstm_cell_backward`), compiled once per instruction set: every copy this CPU runs, on the training path
    /// (outputs, final states and every gradient), against the same layers in float64 (libtorch's element-wise
    /// calls). A hidden size of 37 leaves tail lanes at every vector width, and the gradients reach the cells through
    /// the outputs and through both final states. Tolerance as above: float32 sums of up to 2·37 + 6 = 80 products
    /// per gate over 10 steps stay within about 1e-5 of float64 on values of order 1, where a wrong gate term is off
    /// by order 0.1.
    func testTrainingWithTheOnePassCellMatchesFloat64OnEveryInstructionSet() throws {
        Runtime.manualSeed(41)
        let (batch, steps, inputs, hidden) = (3, 10, 6, 37)
        let lstm = try LSTM(inputSize: inputs, hiddenSize: hidden, layers: 2)
        let x = try Tensor.randn([batch, steps, inputs])
        let h0 = try Tensor.randn([2, batch, hidden]), c0 = try Tensor.randn([2, batch, hidden])
        let weights = (try Tensor.randn([batch, steps, hidden]), try Tensor.randn([2, batch, hidden]),
                       try Tensor.randn([2, batch, hidden]))
        let expected = try trainingValues(lstm, x, h0, c0, weights, .float64)
        defer { try? FusedKernels.force(nil) }
        XCTAssertFalse(FusedKernels.available.isEmpty, "at least the default copy")
        for isa in FusedKernels.available {
            try FusedKernels.force(isa)
            assertValueListsAgree(try trainingValues(lstm, x, h0, c0, weights, .float32), expected, names: valueNames(lstm),
                                  tolerance: 1e-4, nonTrivial: 1e-2, "\(isa) training path")
        }
    }

    /// The LSTM backward's products take oneDNN with the weight gradients transposed where oneDNN runs AMX (its
    /// `avx512_core_amx`: AVX-512 BF16 and the AMX tile, int8 and bfloat16 units), oneDNN as written where it runs
    /// AVX-512 kernels without AMX (`avx512_core`: AVX-512 F, BW, VL and DQ) and the per-product choice measured for
    /// AVX2 elsewhere (ctorch_gemm.h): read here from the CPU's own flags, unless `ONEDNN_MAX_CPU_ISA` or
    /// `DNNL_MAX_CPU_ISA` caps oneDNN below them or the build has no oneDNN header.
    func testTheBackwardProductsFollowTheInstructionSetOneDNNRuns() throws {
        Runtime.forceRecurrentBackwardProducts(nil)
        let flags = CPUInfoFlags.current ?? []
        let environment = ProcessInfo.processInfo.environment
        let cap = (environment["ONEDNN_MAX_CPU_ISA"] ?? environment["DNNL_MAX_CPU_ISA"])?.uppercased() ?? "ALL"
        let amx = flags.isSuperset(of: ["avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512_bf16", "amx_tile", "amx_int8", "amx_bf16"])
            && ["ALL", "AVX512_CORE_AMX"].contains(cap)
        let avx512 = flags.isSuperset(of: ["avx512f", "avx512bw", "avx512vl", "avx512dq"]) && (cap == "ALL" || cap.hasPrefix("AVX512"))
        let expected: RecurrentBackwardProducts = Runtime.recurrentMatmulLibrary != "onednn" ? .aten
            : amx ? .onednnTransposed : avx512 ? .onednn : .atenAndOneDNN
        XCTAssertEqual(Runtime.recurrentBackwardProducts, expected,
                       "CPU flags: \(flags.filter { $0.hasPrefix("avx512") || $0.hasPrefix("amx") }.sorted()), cap \(cap)")
        for products in RecurrentBackwardProducts.allCases {
            Runtime.forceRecurrentBackwardProducts(products)
            XCTAssertEqual(Runtime.recurrentBackwardProducts, Runtime.recurrentMatmulLibrary == "onednn" ? products : .aten)
        }
        Runtime.forceRecurrentBackwardProducts(nil)
        XCTAssertEqual(Runtime.recurrentBackwardProducts, expected, "nil puts the measured choice back")
    }

    /// A build against Debian's libtorch with oneDNN's header installed (`libdnnl-dev`, which scripts/setup.sh
    /// installs) computes the recurrent layers' float32 products with oneDNN's sgemm; any other build with ATen's.
    func testTheRecurrentProductsRunOnOneDNNWhereTheBuildHasIt() {
        let onednn = ProcessInfo.processInfo.environment["LIBTORCH"] == nil
            && FileManager.default.fileExists(atPath: "/usr/include/dnnl.h")
        XCTAssertEqual(Runtime.recurrentMatmulLibrary, onednn ? "onednn" : "aten")
    }
}

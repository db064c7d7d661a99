import Foundation
import XCTest
@testable import Torch
import TestSupport

/// `Functional.spatialAttentionBlock` (the fused kernel of the `sa` stem) against the same maths layer by layer
/// (mean, conv2d, sigmoid, multiply, batchNorm, relu), against finite differences (float64), within rounding in
/// float32, and in bfloat16 as autocast hands it a convolution's output. Shapes leave a tail after the vector lanes.
final class FusedSpatialAttentionTests: IsolatedTestCase {
    override func setUp() { Runtime.manualSeed(17) }

    /// The block's parameters and running statistics, in one dtype.
    private struct Block {
        let gateWeight: Tensor, gateBias: Tensor, normWeight: Tensor, normBias: Tensor
        let runningMean: Tensor, runningVar: Tensor
        var trainable: [Tensor] { [gateWeight, gateBias, normWeight, normBias] }

        init(features: Int, dtype: DType) throws {
            func leaf(_ t: Tensor) throws -> Tensor {
                let l = try t.converted(to: dtype).detached()
                try l.setRequiresGrad(true)
                return l
            }
            gateWeight = try leaf(try Tensor.randn([1, 1, 3, 1]))
            gateBias = try leaf(try Tensor.randn([1]))
            normWeight = try leaf(try Tensor.rand([features]) + 0.5)
            normBias = try leaf(try Tensor.randn([features]))
            runningMean = try Tensor.randn([features]).converted(to: dtype)
            runningVar = try (Tensor.rand([features]) + 0.5).converted(to: dtype)
        }

        /// The same parameters with running statistics of its own (each path updates its copy).
        init(copying other: Block) throws {
            (gateWeight, gateBias, normWeight, normBias) = (other.gateWeight, other.gateBias, other.normWeight, other.normBias)
            (runningMean, runningVar) = (try other.runningMean.cloned(), try other.runningVar.cloned())
        }

        func fused(_ x: Tensor, training: Bool, statistics: Bool = true) throws -> (output: Tensor, gate: Tensor) {
            try Functional.spatialAttentionBlock(x, gateWeight: gateWeight, gateBias: gateBias, normWeight: normWeight, normBias: normBias,
                                                 runningMean: statistics ? runningMean : nil, runningVar: statistics ? runningVar : nil,
                                                 training: training)
        }

        func layered(_ x: Tensor, training: Bool) throws -> (output: Tensor, gate: Tensor) {
            let gate = try Functional.conv2d(try x.mean(alongAxes: 1, keepingDims: true), weight: gateWeight, bias: gateBias,
                                             padding: (1, 0)).sigmoid()
            let y = try Functional.batchNorm(try x * gate, weight: normWeight, bias: normBias, runningMean: runningMean,
                                             runningVar: runningVar, training: training)
            return (try y.relu(), gate)
        }
    }

    /// The output, gate and every gradient (x first, then the block's parameters) of `(output · weights).sum()`.
    private func run(_ x: Tensor, _ block: Block, weights: Tensor,
                     _ pass: (Tensor) throws -> (output: Tensor, gate: Tensor)) throws -> (output: Tensor, gate: Tensor, grads: [Tensor]) {
        for t in [x] + block.trainable { try t.clearGrad() }
        let (output, gate) = try pass(x)
        try (output.converted(to: weights.dtype) * weights).sum().backward()
        let grads = try ([x] + block.trainable).map { t -> Tensor in
            guard let grad = t.grad else { throw TorchError("no gradient reached an input") }
            return grad
        }
        return (output, gate, grads)
    }

    /// Fused and layered passes of one block on `x`, compared within `tolerance`.
    private func compare(_ x: Tensor, features: Int, training: Bool, tolerance: Double, _ label: String = "",
                         file: StaticString = #filePath, line: UInt = #line) throws {
        let block = try Block(features: features, dtype: x.dtype), other = try Block(copying: block)
        let weights = try Tensor.randn(x.shape, dtype: x.dtype)
        let fused = try run(x, block, weights: weights) { try block.fused($0, training: training) }
        let layered = try run(x, other, weights: weights) { try other.layered($0, training: training) }
        let mode = label + (training ? "training" : "evaluation")
        try assertClose(fused.output, layered.output, tolerance: tolerance, "\(mode) \(x.dtype) output", file: file, line: line)
        try assertClose(fused.gate, layered.gate.converted(to: fused.gate.dtype), tolerance: tolerance, "\(mode) gate", file: file, line: line)
        for (n, name) in ["x", "gate weight", "gate bias", "norm weight", "norm bias"].enumerated() {
            try assertClose(fused.grads[n], layered.grads[n], tolerance: tolerance, "\(mode) \(x.dtype) d/d \(name)", file: file, line: line)
        }
        try assertClose(block.runningMean, other.runningMean, tolerance: tolerance, "\(mode) running mean", file: file, line: line)
        try assertClose(block.runningVar, other.runningVar, tolerance: tolerance, "\(mode) running variance", file: file, line: line)
    }

    func testFusedBlockMatchesLayerByLayerInFloat64() throws {
        for training in [true, false] {
            try compare(try GradientCheck.input([3, 4, 11, 3]), features: 4, training: training, tolerance: 1e-11)
        }
    }

    func testFusedBlockMatchesLayerByLayerInFloat32WithinRounding() throws {
        try checkFloat32()
    }

    /// float32, training and evaluation; `label` prefixes the failure messages.
    private func checkFloat32(_ label: String = "", file: StaticString = #filePath, line: UInt = #line) throws {
        for training in [true, false] {
            let x = try Tensor.randn([5, 6, 13, 3]).detached()
            try x.setRequiresGrad(true)
            try compare(x, features: 6, training: training, tolerance: 2e-5, label, file: file, line: line)
        }
    }

    func testFusedBlockGradientsMatchFiniteDifferences() throws {
        let x = try GradientCheck.input([2, 3, 6, 3]), block = try Block(features: 3, dtype: .float64)
        let weights = try GradientCheck.weighting(like: x)
        try GradientCheck.check("fused block (training)", [x] + block.trainable) {
            try (block.fused(x, training: true, statistics: false).output * weights).sum()
        }
        try GradientCheck.check("fused block (evaluation)", [x] + block.trainable) {
            try (block.fused(x, training: false).output * weights).sum()
        }
    }

    /// Under bfloat16 autocast the block gets a convolution's bfloat16 output: it answers in bfloat16 (output and
    /// input gradient) computed in float32 (its parameter gradients equal the float32 kernel's on the same rounded
    /// input), stays within bfloat16 rounding of the output of the layer-by-layer path autocast runs, and its parameter
    /// gradients are at least as close to float32's as that path's.
    func testFusedBlockUnderBFloat16AutocastComputesInFloat32() throws {
        try checkBFloat16()
    }

    /// The bfloat16 checks above; `label` prefixes the failure messages.
    private func checkBFloat16(_ label: String = "", file: StaticString = #filePath, line: UInt = #line) throws {
        let rounded = try Tensor.randn([4, 8, 16, 3]).converted(to: .bfloat16)
        let x = try rounded.detached(), x32 = try rounded.converted(to: .float32).detached()
        for t in [x, x32] { try t.setRequiresGrad(true) }
        let block = try Block(features: 8, dtype: .float32), reference = try Block(copying: block), layered = try Block(copying: block)
        let weights = try Tensor.randn(x.shape).converted(to: .bfloat16).converted(to: .float32)
        let mixed = try Autocast.run(on: .cpu) { try run(x, block, weights: weights) { try block.fused($0, training: true) } }
        let exact = try run(x32, reference, weights: weights) { try reference.fused($0, training: true) }
        let autocast = try Autocast.run(on: .cpu) { try run(x, layered, weights: weights) { try layered.layered($0, training: true) } }
        XCTAssertEqual(mixed.output.dtype, .bfloat16, label, file: file, line: line)
        XCTAssertEqual(mixed.grads[0].dtype, .bfloat16, label, file: file, line: line)
        XCTAssertEqual(mixed.grads[1].dtype, .float32, label, file: file, line: line)
        try assertClose(mixed.output, exact.output, tolerance: 1e-2, label + "bfloat16 output against float32", file: file, line: line)
        try assertClose(mixed.grads[0], exact.grads[0], tolerance: 1e-2, label + "bfloat16 d/dx against float32", file: file, line: line)
        for n in 1..<5 { try assertClose(mixed.grads[n], exact.grads[n], tolerance: 1e-5, label + "parameter gradient \(n)", file: file, line: line) }
        try assertClose(block.runningVar, reference.runningVar, tolerance: 1e-6, label + "running variance", file: file, line: line)
        try assertClose(mixed.output, autocast.output, tolerance: 5e-2, label + "fused against autocast's layer-by-layer output", file: file, line: line)
        // A parameter gradient is a sum over the whole batch, which libtorch's bfloat16 kernels accumulate with rounding
        // that depends on the CPU (autocast's d/d gate bias was 17% off float32 on an AMD Zen 3, and within 5% on the Zen 4 this test was written on): the
        // fused block must be at least as close to the float32 gradients as autocast's layer-by-layer path is.
        for n in 1..<5 {
            let fusedError = try largestDifference(mixed.grads[n], exact.grads[n])
            let autocastError = try largestDifference(autocast.grads[n], exact.grads[n])
            XCTAssertLessThanOrEqual(fusedError, Swift.max(autocastError, 1e-5),
                                     label + "parameter gradient \(n): fused under autocast against autocast's layers, each against float32",
                                     file: file, line: line)
        }
    }

    /// The largest absolute elementwise difference of two tensors of one shape.
    private func largestDifference(_ a: Tensor, _ b: Tensor) throws -> Double {
        zip(try a.scalars(as: Double.self), try b.scalars(as: Double.self)).map { Swift.abs($0 - $1) }.max() ?? 0
    }

    /// Each instruction set's copy of the kernels this CPU runs, forced in turn, gives the layer-by-layer result in
    /// float64, float32 (within its rounding) and bfloat16 (within bfloat16 rounding). The shapes leave a tail after
    /// the widest vectors (AVX-512: 16 floats, 32 bfloat16 a step). On Linux x86-64 the build must hold every copy the
    /// CPU's flags allow: a build without sleef.h (Debian's libsleef-dev) leaves AVX2 and AVX-512 out, and fails here.
    func testEveryInstructionSetThisCPURunsMatchesLayerByLayer() throws {
        if let expected = Self.instructionSetsFromCPUInfo() {
            XCTAssertEqual(FusedKernels.available, expected, "instruction sets with fused kernels (is libsleef-dev installed?)")
        }
        XCTAssertEqual(FusedKernels.current, FusedKernels.available.last, "the best available copy runs by default")
        defer { XCTAssertNoThrow(try FusedKernels.force(nil)) }
        for isa in FusedKernels.available {
            try FusedKernels.force(isa)
            XCTAssertEqual(FusedKernels.current, isa)
            for training in [true, false] {
                try compare(try GradientCheck.input([3, 4, 11, 3]), features: 4, training: training, tolerance: 1e-11, "\(isa) ")
            }
            try checkFloat32("\(isa) ")
            try checkBFloat16("\(isa) ")
        }
    }

    /// The instruction sets /proc/cpuinfo's flags allow (the features each copy is compiled with) up to the cap a valid
    /// `ATEN_CPU_CAPABILITY` sets, or nil where there is no /proc/cpuinfo or the CPU is not x86-64.
    private static func instructionSetsFromCPUInfo() -> [CPUCapability]? {
        guard let flags = CPUInfoFlags.current, flags.contains("sse2") else { return nil }
        var sets: [CPUCapability] = [.default]
        if flags.isSuperset(of: ["avx2", "fma"]) { sets.append(.avx2) }
        if flags.isSuperset(of: ["avx512f", "avx512bw", "avx512vl", "avx512dq", "fma"]) { sets.append(.avx512) }
        guard case .capped(let level) = CPUCapabilityCap.current else { return sets }
        return sets.filter { $0.rawValue <= level.rawValue }
    }

    func testFusedBlockRejectsArgumentsThatDoNotFitNamingThem() throws {
        let block = try Block(features: 3, dtype: .float32)
        func message(_ body: () throws -> Any) -> String {
            do { _ = try body() } catch { return (error as? TorchError)?.message ?? "\(error)" }
            return "no error"
        }
        let flat = try Tensor.randn([2, 3, 5])
        XCTAssertTrue(message { try block.fused(flat, training: true) }.contains("[B, F, T, C]"))
        let wide = try Tensor.randn([2, 4, 5, 1])
        XCTAssertTrue(message { try block.fused(wide, training: true) }.contains("batch norm weight must have shape [4]"))
        let x = try Tensor.randn([2, 3, 5, 1])
        XCTAssertTrue(message { try block.fused(x, training: false, statistics: false) }.contains("running mean and variance"))
        XCTAssertTrue(message { try block.fused(try Tensor.randn([1, 3, 1, 1]), training: true) }.contains("more than 1 value"))
        XCTAssertTrue(message { try block.fused(try x.converted(to: .float16), training: true) }.contains("float32, float64 or bfloat16"))
    }
}

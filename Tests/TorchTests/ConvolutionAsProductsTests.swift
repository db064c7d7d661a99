import Foundation
import XCTest
@testable import Torch
import TestSupport

/// A bfloat16 training convolution as matrix products over the input's kernel-tap columns (ctorch_convolution.cpp:
/// the weight gradient always, the forward where input channels × taps reach 32) and libtorch's own bfloat16
/// convolution, and a short float32 training convolution as float32 products and as libtorch's, each against
/// libtorch's float64 convolution on the same values.
///
/// Exact, not within a tolerance: the operands are integers in [-2, 2] (exact in bfloat16) and every output, gradient
/// and partial sum stays below 256 in magnitude (at most 48 products of at most 4), and bfloat16's 8-bit significand
/// holds every integer up to 256. A wrong tap, stride, padding or position order is off by at least 1.
final class ConvolutionAsProductsTests: IsolatedTestCase {
    /// One convolution's geometry: the input [N, C, H, W], the output channels and the kernel, stride and padding.
    private struct Geometry {
        let input: [Int], outputs: Int, kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int)
        var bias = true
    }

    private let geometries = [
        // The `sa` stem's layers: (3,1) taps, stride (2,1), padding (1,0); 2·5·4 = 40 output positions.
        Geometry(input: [2, 3, 9, 4], outputs: 4, kernel: (3, 1), stride: (2, 1), padding: (1, 0)),
        // Taps, strides and padding along both axes; 2·6·4 = 48 positions.
        Geometry(input: [2, 2, 5, 7], outputs: 3, kernel: (2, 3), stride: (1, 2), padding: (1, 1)),
        // A 1×1 kernel over a single input channel, without bias.
        Geometry(input: [1, 1, 4, 4], outputs: 2, kernel: (1, 1), stride: (1, 1), padding: (0, 0), bias: false),
        // Deep enough (16 channels × 3 taps = 48) for the forward as a product too: the `sa` stem's geometry.
        Geometry(input: [1, 16, 9, 4], outputs: 4, kernel: (3, 1), stride: (2, 1), padding: (1, 0)),
        // 4 channels × 9 taps = 36, padding on both axes, stride along the width, without bias.
        Geometry(input: [1, 4, 5, 7], outputs: 3, kernel: (3, 3), stride: (1, 2), padding: (1, 1), bias: false),
    ]

    /// Integers in [-2, 2] of `shape` in `dtype`.
    private func integers(_ shape: [Int], _ dtype: DType) throws -> Tensor {
        try Tensor.randint(-2..<3, shape: shape).converted(to: dtype)
    }

    /// The output, the name of the node that made it, and the gradients of Σ output·upstream for the input, weight
    /// and bias (where `operands` has one), all as Double.
    private func convolve(_ g: Geometry, _ operands: [Tensor], upstream: Tensor, dtype: DType, autocast: Bool) throws
        -> (values: [[Double]], node: String?) {
        let leaves = try operands.map { try $0.converted(to: dtype) }
        for leaf in leaves {
            try leaf.setRequiresGrad(true)
            try leaf.clearGrad()  // a leaf of the operands' own dtype is the operand itself, shared between runs
        }
        let output = try Autocast.run(on: .cpu, enabled: autocast) {
            try Functional.conv2d(leaves[0], weight: leaves[1], bias: leaves.count > 2 ? leaves[2] : nil, stride: g.stride, padding: g.padding)
        }
        try (output.converted(to: dtype) * upstream.converted(to: dtype)).sum().backward()
        let gradients = try leaves.map { try XCTUnwrap($0.grad, "a gradient").scalars(as: Double.self) }
        return ([try output.scalars(as: Double.self)] + gradients, output.gradientFunctionName)
    }

    /// Each geometry's convolution on float32 operands (under bfloat16 autocast where `autocast`), with the products
    /// forced on and then off through `force`, against libtorch's float64 convolution on the same integers: every
    /// output and gradient equal, and the products' node made the output exactly when forced on.
    private func assertEqualFloat64Exactly(_ geometries: [Geometry], autocast: Bool, force: (Bool?) -> Void) throws {
        defer { force(nil) }
        let names = ["output", "input gradient", "weight gradient", "bias gradient"]
        for g in geometries {
            let weightShape = [g.outputs, g.input[1], g.kernel.0, g.kernel.1]
            let operands = [try integers(g.input, .float32), try integers(weightShape, .float32)]
                + (g.bias ? [try integers([g.outputs], .float32)] : [])
            let rows = (g.input[2] + 2 * g.padding.0 - g.kernel.0) / g.stride.0 + 1
            let columns = (g.input[3] + 2 * g.padding.1 - g.kernel.1) / g.stride.1 + 1
            let upstream = try integers([g.input[0], g.outputs, rows, columns], .float32)
            let reference = try convolve(g, operands, upstream: upstream, dtype: .float64, autocast: false)
            XCTAssertGreaterThan(reference.values[2].map(Swift.abs).max() ?? 0, 2, "a weight gradient sums several products")
            for products in [true, false] {
                force(products)
                let path = "\(autocast ? "bfloat16" : "float32") \(products ? "matrix products" : "libtorch's convolution"), "
                    + "input \(g.input), kernel \(g.kernel), stride \(g.stride), padding \(g.padding)"
                let ours = try convolve(g, operands, upstream: upstream, dtype: .float32, autocast: autocast)
                XCTAssertEqual(ours.node?.contains("Conv2dAsProducts"), products, "\(path): made by \(ours.node ?? "nothing")")
                for (name, (got, want)) in zip(names, zip(ours.values, reference.values)) {
                    XCTAssertEqual(got, want, "\(name), \(path)")
                }
            }
        }
    }

    func testBothBFloat16ConvolutionsEqualFloat64Exactly() throws {
        Runtime.manualSeed(5)
        try assertEqualFloat64Exactly(geometries, autocast: true, force: Runtime.forceTrainingConvolutionAsProducts)
    }

    /// Only bfloat16 convolutions that record a weight gradient take the bfloat16 products: float32 ones (their own
    /// products off) and float64 ones, and any convolution without gradient recording, stay libtorch's even when the
    /// products are forced.
    func testOnlyBFloat16TrainingConvolutionsTakeTheProducts() throws {
        defer {
            Runtime.forceTrainingConvolutionAsProducts(nil)
            Runtime.forceFloat32TrainingConvolutionAsProducts(nil)
        }
        Runtime.forceTrainingConvolutionAsProducts(true)
        Runtime.forceFloat32TrainingConvolutionAsProducts(false)
        let x = try Tensor.randn([1, 2, 6, 3]), w = try Tensor.randn([3, 2, 3, 1])
        try w.setRequiresGrad(true)
        let conv = { (autocast: Bool) in
            try Autocast.run(on: .cpu, enabled: autocast) { try Functional.conv2d(x, weight: w, bias: nil, stride: (2, 1), padding: (1, 0)) }
        }
        let products = try conv(true)
        XCTAssertEqual(products.gradientFunctionName?.contains("Conv2dAsProducts"), true, "without a bias too")
        try products.converted(to: .float32).sum().backward()
        XCTAssertEqual(try XCTUnwrap(w.grad).shape, [3, 2, 3, 1])
        XCTAssertEqual(try conv(false).gradientFunctionName?.contains("Conv2dAsProducts"), false)
        XCTAssertNil(try withNoGrad { try conv(true) }.gradientFunctionName)
        XCTAssertEqual(try withNoGrad { try conv(true) }.dtype, .bfloat16)
    }

    /// Short float32 training convolutions (at most 160 output positions per window, input channels × taps at least
    /// 32) as float32 products, forced on and off, against libtorch's float64 convolution: exact, as above (float32's
    /// 24-bit significand holds every sum).
    func testShortFloat32ConvolutionsAsProductsEqualFloat64Exactly() throws {
        Runtime.manualSeed(6)
        let short = [
            // The narrow planes' stride-2 layers: 16 channels × 3 taps, 5 rows of 4 (20 positions per window).
            Geometry(input: [2, 16, 9, 4], outputs: 4, kernel: (3, 1), stride: (2, 1), padding: (1, 0)),
            // Taps, strides and padding along both axes, 8 channels × 6 taps, without bias.
            Geometry(input: [2, 8, 5, 7], outputs: 3, kernel: (2, 3), stride: (1, 2), padding: (1, 1), bias: false),
            // 160 positions (40 rows of 4), the most that takes the products.
            Geometry(input: [1, 11, 80, 4], outputs: 5, kernel: (3, 1), stride: (2, 1), padding: (1, 0)),
        ]
        try assertEqualFloat64Exactly(short, autocast: false, force: Runtime.forceFloat32TrainingConvolutionAsProducts)
    }

    /// Forced on, the float32 products still take only float32 convolutions deep enough and short enough: 164 or 280
    /// positions, a depth of 30, float64 operands, or no gradient recording keep libtorch's.
    func testOnlyShortDeepFloat32TrainingConvolutionsTakeTheFloat32Products() throws {
        defer { Runtime.forceFloat32TrainingConvolutionAsProducts(nil) }
        Runtime.forceFloat32TrainingConvolutionAsProducts(true)
        let conv = { (input: [Int], channels: Int, dtype: DType) throws -> Tensor in
            let x = try Tensor.randn(input).converted(to: dtype)
            let w = try Tensor.randn([3, channels, 3, 1]).converted(to: dtype)
            try w.setRequiresGrad(true)
            return try Functional.conv2d(x, weight: w, bias: nil, stride: (2, 1), padding: (1, 0))
        }
        let made = { (t: Tensor) in t.gradientFunctionName?.contains("Conv2dAsProducts") == true }
        XCTAssertTrue(made(try conv([1, 11, 80, 4], 11, .float32)), "160 positions, depth 33")
        XCTAssertFalse(made(try conv([1, 11, 80, 7], 11, .float32)), "280 positions")
        XCTAssertFalse(made(try conv([1, 10, 80, 4], 10, .float32)), "depth 30")
        XCTAssertFalse(made(try conv([1, 11, 80, 4], 11, .float64)), "float64")
        XCTAssertNil(try withNoGrad { try conv([1, 11, 80, 4], 11, .float32) }.gradientFunctionName)
        let x = try Tensor.randn([1, 11, 81, 4]), w = try Tensor.randn([3, 11, 3, 1])
        try w.setRequiresGrad(true)
        XCTAssertFalse(made(try Functional.conv2d(x, weight: w, bias: nil, stride: (2, 1), padding: (1, 0))), "41 rows of 4: 164 positions")
    }

    /// The instruction set oneDNN is capped to by `ONEDNN_MAX_CPU_ISA` or `DNNL_MAX_CPU_ISA`, upper-cased; nil uncapped.
    private var oneDNNCap: String? {
        let environment = ProcessInfo.processInfo.environment
        return (environment["ONEDNN_MAX_CPU_ISA"] ?? environment["DNNL_MAX_CPU_ISA"])?.uppercased()
    }

    /// Forcing through `force` makes `read` answer `products`, then `onednn`; nil puts the CPU's choice back.
    private func assertForcing(reads read: () -> String, through force: (Bool?) -> Void) {
        defer { force(nil) }
        force(true)
        XCTAssertEqual(read(), "products")
        force(false)
        XCTAssertEqual(read(), "onednn")
    }

    /// The float32 products are the default exactly where oneDNN runs AVX2 kernels and not AVX-512 ones (`avx2` and
    /// not `avx512_core`), read from the CPU's flags and oneDNN's cap (`ONEDNN_MAX_CPU_ISA`/`DNNL_MAX_CPU_ISA`).
    func testTheFloat32ProductsAreTheDefaultWhereOneDNNRunsAVX2Only() throws {
        Runtime.forceFloat32TrainingConvolutionAsProducts(nil)
        let flags = CPUInfoFlags.current ?? []
        let cap = oneDNNCap
        let belowAVX2 = ["SSE41", "AVX"].contains(cap ?? "")
        let belowAVX512 = belowAVX2 || ["AVX2", "AVX2_VNNI"].contains(cap ?? "")
        let avx2 = flags.isSuperset(of: ["avx2", "fma"]) && !belowAVX2
        let avx512 = flags.isSuperset(of: ["avx512f", "avx512bw", "avx512vl", "avx512dq"]) && !belowAVX512
        let expected = Runtime.recurrentMatmulLibrary == "onednn" && avx2 && !avx512 ? "products" : "onednn"
        XCTAssertEqual(Runtime.float32TrainingConvolution, expected, "CPU flags: \(flags.filter { $0.hasPrefix("avx") }.sorted()), cap \(cap ?? "none")")
        assertForcing(reads: { Runtime.float32TrainingConvolution }, through: Runtime.forceFloat32TrainingConvolutionAsProducts)
    }

    /// The products are the default exactly where oneDNN runs AMX kernels (its `avx512_core_amx`: AVX-512 BF16 and
    /// the AMX tile, int8 and bfloat16 units), read here from the CPU's own flags, unless `ONEDNN_MAX_CPU_ISA` or
    /// `DNNL_MAX_CPU_ISA` caps oneDNN below AMX or the build has no oneDNN header.
    func testTheProductsAreTheDefaultWhereOneDNNRunsAMX() throws {
        Runtime.forceTrainingConvolutionAsProducts(nil)
        let flags = CPUInfoFlags.current ?? []
        let amx = flags.isSuperset(of: ["avx512_bf16", "amx_tile", "amx_int8", "amx_bf16"])
        let cap = oneDNNCap
        let capped = cap.map { !["ALL", "AVX512_CORE_AMX"].contains($0) } ?? false
        let expected = Runtime.recurrentMatmulLibrary == "onednn" && amx && !capped ? "products" : "onednn"
        XCTAssertEqual(Runtime.trainingConvolution, expected, "CPU flags: \(flags.filter { $0.hasPrefix("amx") || $0.hasPrefix("avx512_bf") }.sorted())")
        assertForcing(reads: { Runtime.trainingConvolution }, through: Runtime.forceTrainingConvolutionAsProducts)
    }
}

import XCTest
@testable import Torch
import TestSupport

/// A convolution with the evaluation-mode batch norm after it folded into one convolution (`BatchNormFold`) gives the
/// two layers' outputs, folds only where no autograd or training needs the layers, and refolds after any change.
///
/// The float32 bound, derived rather than tuned: each output is a dot product of K = fan-in products plus a bias, then
/// (unfolded) an affine map, or (folded) with weights and bias rounded once more after scaling. Standard forward
/// error analysis bounds each path's error by γ(K+4)·(|s|·(|W|∗|x|) + |s|·|b − μ| + |β|), γ(n) = n·u/(1 − n·u),
/// u = 2⁻²⁴, whatever the summation order or FMA use; the difference of the two paths is at most twice that.
final class BatchNormFoldTests: IsolatedTestCase {
    /// A conv + batch norm pair in evaluation mode with non-trivial statistics (scale, shift, mean and variance all
    /// away from the identity, so a fold that skipped a term would show).
    private func pair(bias: Bool, dtype: DType, kernel: (Int, Int) = (3, 1)) throws -> (Conv2d, BatchNorm) {
        let conv = try Conv2d(4, 6, kernel: kernel, stride: (2, 1), padding: (1, 0), bias: bias)
        let norm = try BatchNorm(6)
        try withNoGrad {
            try norm.weight.assign(try Tensor.rand([6]) + 0.5)
            try norm.bias.assign(try Tensor.randn([6]))
            try norm.runningMean.assign(try Tensor.randn([6]))
            try norm.runningVar.assign(try Tensor.rand([6]) * 2 + 0.1)
        }
        try conv.convert(to: dtype)
        try norm.convert(to: dtype)
        conv.setTraining(false)
        norm.setTraining(false)
        return (conv, norm)
    }

    /// The rounding bound above for one folded layer's output on `x`.
    private func float32Bound(_ conv: Conv2d, _ norm: BatchNorm, _ x: Tensor) throws -> Tensor {
        let wide = { (t: Tensor) in try t.detached().converted(to: .float64) }
        let scale = try wide(norm.weight) / (try wide(norm.runningVar) + norm.eps).sqrt()
        let shaped = { (t: Tensor) in try t.reshaped(to: [1, -1, 1, 1]) }
        let products = try Functional.conv2d(try wide(x).abs(), weight: try wide(conv.weight).abs(), bias: nil, stride: conv.stride,
                                             padding: conv.padding)
        let bias = try conv.bias.map { try wide($0) } ?? (try Tensor.zeros([6], dtype: .float64))
        let magnitude = try shaped(scale.abs()) * products + shaped(try (scale * (bias - (try wide(norm.runningMean)))).abs())
            + shaped(try wide(norm.bias).abs())
        let fanIn = conv.weight.shape.dropFirst().reduce(1, *), u = pow(2.0, -24.0)
        let gamma = Double(fanIn + 4) * u / (1 - Double(fanIn + 4) * u)
        return try magnitude * (2 * gamma)
    }

    func testFoldedEqualsConvThenNormWithinRounding() throws {
        Runtime.manualSeed(21)
        for bias in [true, false] {
            let (conv, norm) = try pair(bias: bias, dtype: .float64)
            let fold = BatchNormFold(conv: conv, norm: norm)
            let x = try Tensor.randn([2, 4, 11, 3], dtype: .float64)
            let (folded, layered) = try withInferenceMode { (try fold.forward(x), try norm(try conv(x))) }
            XCTAssertTrue(fold.hasCachedFold, "the inference call folded")
            XCTAssertLessThan(try (folded - layered).abs().max().item(), 1e-12, "float64, bias \(bias)")

            let (conv32, norm32) = try pair(bias: bias, dtype: .float32)
            let fold32 = BatchNormFold(conv: conv32, norm: norm32), x32 = try Tensor.randn([2, 4, 11, 3])
            let (a, b) = try withInferenceMode { (try fold32.forward(x32), try norm32(try conv32(x32))) }
            let excess = try (try (a - b).abs().converted(to: .float64) - (try float32Bound(conv32, norm32, x32))).max().item()
            XCTAssertLessThanOrEqual(excess, 0, "float32, bias \(bias): a difference beyond the rounding bound")
        }
    }

    /// Training mode, recording autograd and autocast all run the two layers (batch statistics, gradients of γ and β).
    func testFoldsOnlyInEvaluationWithoutAutograd() throws {
        Runtime.manualSeed(22)
        let (conv, norm) = try pair(bias: true, dtype: .float32)
        let fold = BatchNormFold(conv: conv, norm: norm)
        XCTAssertFalse(fold.applies, "autograd is recording")
        withNoGrad { XCTAssertTrue(fold.applies) }
        try Autocast.run(on: .cpu) { withNoGrad { XCTAssertFalse(fold.applies, "autocast") } }
        norm.setTraining(true)
        withNoGrad { XCTAssertFalse(fold.applies, "training mode") }
        let x = try Tensor.randn([2, 4, 11, 3])
        _ = try fold.forward(x)
        XCTAssertFalse(fold.hasCachedFold, "nothing folded outside inference")
        fold.isEnabled = false
        norm.setTraining(false)
        _ = try withNoGrad { try fold.forward(x) }
        XCTAssertFalse(fold.hasCachedFold, "a disabled fold never folds")
    }

    /// Every way the source tensors change makes the next call refold: an in-place optimizer-style update of the
    /// weight, of the batch norm's scale, of its running statistics (a training-mode forward), `loadState` and a dtype
    /// conversion. A stale fold would give the old outputs, far outside rounding.
    func testAnyChangeOfTheSourcesRefolds() throws {
        Runtime.manualSeed(23)
        let (conv, norm) = try pair(bias: true, dtype: .float32)
        let fold = BatchNormFold(conv: conv, norm: norm)
        let x = try Tensor.randn([1, 4, 11, 3])
        let check = { (what: String) throws in
            let (a, b) = try withInferenceMode { (try fold.forward(x), try norm(try conv(x))) }
            XCTAssertLessThan(try (a - b).abs().max().item(), 1e-4, what)
        }
        try check("first fold")
        try withNoGrad { try conv.weight.multiply(by: 1.5) }
        try check("after an in-place update of the convolution weight")
        try withNoGrad { try norm.weight.multiply(by: -2) }
        try check("after an in-place update of the scale")
        norm.setTraining(true)
        _ = try withNoGrad { try norm(try conv(try Tensor.randn([8, 4, 11, 3]) * 3 + 2)) }
        norm.setTraining(false)
        try check("after a training-mode forward moved the running statistics")
        try conv.loadState(StateDict(try conv.stateDict().entries.map { ($0.name, try $0.tensor.detached() * -1) }))
        try check("after loadState")
        try conv.convert(to: .float64)
        try norm.convert(to: .float64)
        let (a, b) = try withInferenceMode { (try fold.forward(x.converted(to: .float64)), try norm(try conv(x.converted(to: .float64)))) }
        XCTAssertEqual(a.dtype, .float64, "refolded in the new dtype")
        XCTAssertLessThan(try (a - b).abs().max().item(), 1e-12, "after a dtype conversion")
    }

    /// A batch norm whose channels do not match the convolution's outputs is refused with a message naming the tensor
    /// and both counts, not folded.
    func testAMismatchedBatchNormIsNamed() throws {
        let conv = try Conv2d(4, 6, kernel: (3, 1), bias: true)
        let norm = try BatchNorm(5)
        conv.setTraining(false)
        norm.setTraining(false)
        XCTAssertThrowsError(try withNoGrad { try BatchNormFold(conv: conv, norm: norm).folded() }) { error in
            XCTAssertTrue("\(error)".contains("the batch norm's weight has 5 channels, the convolution 6 outputs"), "\(error)")
        }
    }
}

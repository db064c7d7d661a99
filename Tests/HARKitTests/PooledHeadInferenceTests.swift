import XCTest
import Torch
@testable import HARKit
import TestSupport

/// The pooled head averages over time with a mean when no autograd records (the batch-1 path) and with adaptive
/// pooling otherwise: the same logits either way (float64: the same sums up to order; float32 within rounding).
final class PooledHeadInferenceTests: IsolatedTestCase {
    func testMeanAndAdaptivePoolingGiveTheSameLogits() throws {
        for dtype in [DType.float64, .float32] {
            let model = try ModelFactory.make(try ModelSpec("sa", options: ["width": "4", "depth": "2"]),
                                              input: InputShape(time: 24, channels: 3, classes: 4), seed: 7)
            try model.convert(to: dtype)
            model.setTraining(false)
            let x = try Tensor.randn([2, 1, 24, 3], dtype: dtype)
            let recording = try model(x).detached()
            XCTAssertTrue(isGradEnabled, "the first pass took the adaptive pooling")
            let inference = try withInferenceMode { try model(x) }
            let tolerance = (dtype == .float64 ? 1e-12 : 1e-5) * (1 + (try recording.abs().max().item()))
            XCTAssertLessThan(try (inference - recording).abs().max().item(), tolerance, "\(dtype)")
        }
    }
}

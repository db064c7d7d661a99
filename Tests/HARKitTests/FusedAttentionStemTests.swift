import XCTest
import Torch
@testable import HARKit
import TestSupport

/// The `sa` model with its fused spatial-attention stages against the same weights layer by layer:
/// logits, every parameter's gradient, the running statistics and the attention maps.
final class FusedAttentionStemTests: IsolatedTestCase {
    /// Two copies of a narrow `sa` model with the same weights, the second one unfused.
    private func pair(dtype: DType) throws -> (fused: any HARModel, layered: any HARModel) {
        Runtime.manualSeed(3)
        let input = InputShape(time: 24, channels: 3, classes: 4)
        let fused = try ModelFactory.make(try ModelSpec("sa", options: ["width": "4"]), input: input)
        let layered = try ModelFactory.make(try ModelSpec("sa", options: ["width": "4"]), input: input)
        for model in [fused, layered] { try model.convert(to: dtype) }
        try layered.loadState(fused.stateDict())
        fused.setFusedSpatialAttention(true)
        layered.setFusedSpatialAttention(false)
        return (fused, layered)
    }

    /// Logits and named gradients of `(logits · weights).sum()`.
    private func pass(_ model: any HARModel, _ x: Tensor, _ weights: Tensor) throws -> (Tensor, [(String, Tensor)]) {
        try model.clearGradients()
        let logits = try model(x)
        try (logits.converted(to: weights.dtype) * weights).sum().backward()
        return (logits, try model.namedParameters().map { ($0.name, try XCTUnwrap($0.tensor.grad, $0.name)) })
    }

    func testFusedAndLayeredSAModelsAgreeInFloat64() throws {
        let (fused, layered) = try pair(dtype: .float64)
        let x = try Tensor.randn([6, 1, 24, 3], dtype: .float64), weights = try Tensor.randn([6, 4], dtype: .float64)
        for training in [true, false] {
            fused.setTraining(training)
            layered.setTraining(training)
            let (a, gradsA) = try pass(fused, x, weights), (b, gradsB) = try pass(layered, x, weights)
            XCTAssertLessThan(try (a - b).abs().max().item(), 1e-11, "logits, training \(training)")
            for ((name, ga), (_, gb)) in zip(gradsA, gradsB) {
                XCTAssertLessThan(try (ga - gb).abs().max().item(), 1e-10 * (1 + (try gb.abs().max().item())), name)
            }
            for (ea, eb) in zip(fused.stateDict().entries, layered.stateDict().entries) {
                XCTAssertLessThan(try (ea.tensor.converted(to: .float64) - eb.tensor.converted(to: .float64)).abs().max().item(), 1e-12, ea.name)
            }
            XCTAssertEqual(fused.attentionMaps.map(\.layer), layered.attentionMaps.map(\.layer))
            for (ma, mb) in zip(fused.attentionMaps, layered.attentionMaps) {
                XCTAssertLessThan(try (ma.weights - mb.weights).abs().max().item(), 1e-12, ma.layer)
            }
        }
    }

    /// By default the fused kernel takes bfloat16 activations, float32 ones where its kernels are vectorised (not with
    /// the `default` (SSE) copy, slower than the layers in float32), never float64; under autocast it runs (its gate comes
    /// back float32, autocast's layers give a bfloat16 one); forcing it off gives the layers under autocast too.
    func testDefaultFusesFloat32AndBFloat16ButNotFloat64() throws {
        for isa in CPUCapability.allCases {
            XCTAssertEqual(ConvStem.fusesByDefault(.float32, isa: isa), isa != .default, "\(isa)")
            XCTAssertTrue(ConvStem.fusesByDefault(.bfloat16, isa: isa), "\(isa)")
            XCTAssertFalse(ConvStem.fusesByDefault(.float64, isa: isa), "\(isa)")
        }
        let (automatic, layered) = try pair(dtype: .float32)
        automatic.setFusedSpatialAttention(nil)
        let x = try Tensor.randn([2, 1, 24, 3])
        _ = try Autocast.run(on: .cpu) { try automatic(x) }
        _ = try Autocast.run(on: .cpu) { try layered(x) }
        XCTAssertEqual(automatic.attentionMaps.first?.weights.dtype, .float32)
        XCTAssertEqual(layered.attentionMaps.first?.weights.dtype, .bfloat16)
    }

    /// bfloat16 autocast: the fused model's logits stay within bfloat16 rounding of autocast's layer-by-layer ones.
    func testFusedModelUnderBFloat16AutocastStaysWithinRoundingOfTheLayeredOne() throws {
        let (fused, layered) = try pair(dtype: .float32)
        let x = try Tensor.randn([6, 1, 24, 3]), weights = try Tensor.randn([6, 4])
        let (a, _) = try Autocast.run(on: .cpu) { try pass(fused, x, weights) }
        let (b, _) = try Autocast.run(on: .cpu) { try pass(layered, x, weights) }
        XCTAssertEqual(a.dtype, b.dtype)
        let spread = try b.converted(to: .float32).abs().max().item()
        XCTAssertLessThan(try (a.converted(to: .float32) - b.converted(to: .float32)).abs().max().item(), 0.05 * (1 + spread))
    }
}

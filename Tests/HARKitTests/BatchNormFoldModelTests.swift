import XCTest
import Torch
@testable import HARKit
import TestSupport

/// Every model with conv + batch norm pairs (`cnn`, `resnet`; `sa`, `ca` and the hybrids put attention between the
/// two, so there is nothing to fold) gives the same logits folded and layer by layer, and a training step — with the
/// weight average swapped in at its end — leaves no stale fold behind.
///
/// Tolerances: float64 1e-12 (the same maths). float32: the per-layer bound of `BatchNormFoldTests` is
/// 2·γ(K+4) ≈ 2e-6 of an output's magnitude for these narrow layers (K ≤ 3·8 = 24), through two stages and the head,
/// so 1e-4 of the largest logit (plus 1e-4 absolute) is an order above any rounding and far below a stale or wrong fold.
final class BatchNormFoldModelTests: IsolatedTestCase {
    private let input = InputShape(time: 24, channels: 3, classes: 4)

    /// A narrow model in evaluation mode whose batch norms hold statistics away from the identity.
    private func model(_ spec: String, dtype: DType) throws -> any HARModel {
        let model = try ModelFactory.make(try ModelSpec(spec, options: ["width": "4", "depth": "2"]), input: input, seed: 5)
        try withNoGrad {
            for (name, tensor) in model.namedParameters() + model.namedBuffers() where tensor.dtype.isFloatingPoint {
                if name.hasSuffix("running_var") { try tensor.assign(try Tensor.rand(tensor.shape) + 0.2) }
                if name.hasSuffix("running_mean") { try tensor.assign(try Tensor.randn(tensor.shape) * 0.5) }
            }
        }
        try model.convert(to: dtype)
        model.setTraining(false)
        return model
    }

    private func logits(_ model: any HARModel, _ x: Tensor, folding: Bool) throws -> Tensor {
        model.setBatchNormFolding(folding)
        return try withInferenceMode { try model(x) }
    }

    private func folds(_ model: any HARModel) -> [BatchNormFold] {
        func collect(_ module: any Module) -> [BatchNormFold] {
            ((module as? any BatchNormFolding)?.batchNormFolds ?? []) + module.children.flatMap { collect($0.module) }
        }
        return collect(model)
    }

    func testFoldedLogitsEqualLayeredForEveryModelWithBatchNorm() throws {
        XCTAssertEqual(folds(try model("cnn", dtype: .float32)).count, 2, "one fold per cnn stage")
        XCTAssertEqual(folds(try model("resnet", dtype: .float32)).count, 6, "three per residual block")
        XCTAssertEqual(folds(try model("sa", dtype: .float32)).count, 0, "attention sits between conv and norm")
        for spec in ["cnn", "resnet"] {
            for dtype in [DType.float64, .float32] {
                let model = try model(spec, dtype: dtype)
                let x = try Tensor.randn([3, 1, 24, 3], dtype: dtype)
                let folded = try logits(model, x, folding: true), layered = try logits(model, x, folding: false)
                XCTAssertTrue(folds(model).allSatisfy(\.hasCachedFold), "\(spec): every pair folded")
                let scale = 1 + (try layered.abs().max().item())
                XCTAssertLessThan(try (folded - layered).abs().max().item(), (dtype == .float64 ? 1e-12 : 1e-4) * scale, "\(spec) \(dtype)")
            }
        }
    }

    /// Inference, then `train` (optimizer steps, running statistics, the weight average loaded at the end), then
    /// inference again: the folded logits follow the new weights. A stale fold would give the first logits, which the
    /// training moved by far more than the tolerance (checked, so the test can fail).
    func testTrainingInvalidatesTheFold() throws {
        let model = try model("cnn", dtype: .float32)
        let x = try Tensor.randn([2, 1, 24, 3])
        let before = try logits(model, x, folding: true)
        var config = TrainingConfig()
        config.batchSize = 8
        config.learningRate = 1e-2
        config.averagingDecay = 0.5
        let data = try TrainingBenchmark.randomDataset(shape: BenchmarkShape(name: "tiny", input: input), samples: 16)
        _ = try Trainer(model: model, dataset: data, config: config).train(epochs: 1)
        model.setTraining(false)
        let folded = try logits(model, x, folding: true), layered = try logits(model, x, folding: false)
        let tolerance = 1e-4 * (1 + (try layered.abs().max().item()))
        XCTAssertGreaterThan(try (layered - before).abs().max().item(), 100 * tolerance, "training moved the logits")
        XCTAssertLessThan(try (folded - layered).abs().max().item(), tolerance, "the fold follows the trained weights")
    }
}

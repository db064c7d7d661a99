import XCTest
@testable import Torch
import TestSupport

/// Optimizers, schedules and clipping against PyTorch's values (fixtures from Fixtures/make_fixtures.py).
final class OptimizerParityTests: IsolatedTestCase {
    private static let fixtures = Result { try Fixtures.load("optimizers.pt") }

    /// Runs six steps of mean((x p0 + p1 - y)²) with the learning rate set to 0.05 before the fourth step,
    /// as the fixture script does, and compares losses and final parameters with PyTorch's.
    /// The tolerance, 1e-5, does not depend on the CPU's kernels: every sum here has at most 20 terms (a [5, 3] × [3, 4]
    /// problem), whose rounding in any order stays near 20·ε ≈ 1e-6, and six steps of a convex problem do not amplify it
    /// the way 20 steps of a deep network do (TrainingEquivalenceTests).
    private func verify(_ name: String, file: StaticString = #filePath, line: UInt = #line,
                        _ make: ([Tensor]) throws -> any Optimizer) throws {
        let f = try Self.fixtures.get()
        let x = try f.required("problem.x"), y = try f.required("problem.y")
        let parameters = try ["problem.p0", "problem.p1"].map { name -> Tensor in
            let p = try f.required(name).cloned()
            try p.setRequiresGrad(true)
            return p
        }
        let optimizer = try make(parameters)
        var losses: [Double] = []
        for step in 0..<6 {
            if step == 3 { optimizer.learningRate = 0.05 }
            try optimizer.zeroGrad()
            let loss = try (x.matmul(parameters[0]) + parameters[1] - y).squared().mean()
            losses.append(try loss.item())
            try loss.backward()
            try optimizer.step()
        }
        try assertClose(try Tensor(losses), f.required("\(name).losses"), tolerance: 1e-5, "\(name) losses", file: file, line: line)
        try assertClose(parameters[0], f.required("\(name).p0"), tolerance: 1e-5, "\(name) p0", file: file, line: line)
        try assertClose(parameters[1], f.required("\(name).p1"), tolerance: 1e-5, "\(name) p1", file: file, line: line)
    }

    func testAdamMatchesPyTorch() throws {
        try verify("adam") { Adam($0, learningRate: 0.1, betas: (0.8, 0.95), eps: 1e-6, weightDecay: 0.1) }
    }

    func testAdamWMatchesPyTorch() throws {
        try verify("adamw") { AdamW($0, learningRate: 0.1, weightDecay: 0.05) }
    }

    func testPlainSGDMatchesPyTorch() throws {
        try verify("sgd") { try SGD($0, learningRate: 0.1) }
    }

    func testSGDWithMomentumDampeningAndWeightDecayMatchesPyTorch() throws {
        try verify("sgd_momentum") { try SGD($0, learningRate: 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.01) }
    }

    func testNesterovSGDMatchesPyTorch() throws {
        try verify("sgd_nesterov") { try SGD($0, learningRate: 0.1, momentum: 0.9, weightDecay: 0.01, nesterov: true) }
    }

    func testStepAndCosineSchedulesMatchPyTorch() throws {
        let f = try Self.fixtures.get()
        let step = try StepLR(base: 0.5, stepSize: 4, gamma: 0.3)
        try assertClose(try Tensor((0..<12).map { step.learningRate(atEpoch: $0) }), f.required("schedule.step"), tolerance: 1e-12, "StepLR")
        let cosine = try CosineLR(base: 0.5, epochs: 10, minimum: 0.01)
        try assertClose(try Tensor((0..<11).map { cosine.learningRate(atEpoch: $0) }), f.required("schedule.cosine"), tolerance: 1e-9,
                        "CosineLR")
        XCTAssertEqual(cosine.learningRate(atEpoch: 25), 0.01, accuracy: 1e-12, "stays at the minimum after the last epoch")
    }

    func testScheduleSetsTheOptimizersLearningRate() throws {
        let p = try Tensor.zeros([2])
        let optimizer = AdamW([p], learningRate: 1)
        try StepLR(base: 0.2, stepSize: 2, gamma: 0.5).apply(to: optimizer, epoch: 5)
        XCTAssertEqual(optimizer.learningRate, 0.05, accuracy: 1e-12)
    }

    func testClipGradNormMatchesPyTorch() throws {
        let f = try Self.fixtures.get()
        let a = try Tensor.zeros([3, 4]), b = try Tensor.zeros([4])
        try a.setRequiresGrad(true)
        try b.setRequiresGrad(true)
        let g0 = try f.required("clip.g0"), g1 = try f.required("clip.g1")
        try ((a * g0).sum() + (b * g1).sum()).backward()
        let total = try clipGradNorm([a, b], maxNorm: 1.5)
        XCTAssertEqual(total, try f.required("clip.total").item(), accuracy: 1e-5)
        try assertClose(try XCTUnwrap(a.grad), f.required("clip.clipped0"), "clipped gradient 0")
        try assertClose(try XCTUnwrap(b.grad), f.required("clip.clipped1"), "clipped gradient 1")
        XCTAssertEqual(try clipGradNorm([a, b], maxNorm: 10), 1.5, accuracy: 1e-4, "a norm under the limit is left alone")
    }
}

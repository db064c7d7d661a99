import Foundation
import Torch
import XCTest
@testable import HARKit
import TestSupport

/// The trainer's extensions of the reference recipe (label smoothing, gradient clipping, the L1 penalty, SGD with
/// momentum, the cosine schedule, the mixup loss, bfloat16 autocast), each checked against values computed here from
/// first principles in Double: a linear classifier without bias (`logits = flatten(x) · Wᵀ`) on four 2×2 windows in
/// one batch, whose cross-entropy gradient is `(softmax(z) − target) ⊗ x / N`.
///
/// Each test was shown to fail against a deliberately broken trainer (named in its comment): the feature switched
/// off or computed another way, with everything else unchanged.
final class TrainerFeatureTests: IsolatedTestCase {
    static let shape = InputShape(time: 2, channels: 2, classes: 3)
    static let labels = [0, 1, 2, 1]
    /// Four windows of [T=2, C=2], as float32.
    static let windows: [Float] = (0..<16).map { Float(1.5 * sin(1.3 * Double($0 / 4) + 0.7 * Double($0 % 4) + 0.2)) }
    /// The starting weights [K=3, D=4], as float32.
    static let startWeights: [Float] = (0..<12).map { Float(0.3 * cos(Double($0 / 4) + 2.0 * Double($0 % 4))) }

    /// A linear classifier without bias over the flattened window.
    final class LinearProbe: HARModel {
        let spec: ModelSpec
        let inputShape: InputShape
        let fc: Linear
        var isTraining = true
        var attentionMaps: [AttentionMap] { [] }
        var children: [(name: String, module: any Module)] { [("fc", fc)] }

        init(weights: [Float]) throws {
            spec = try ModelSpec("sa")
            inputShape = TrainerFeatureTests.shape
            fc = try Linear(4, 3, bias: false)
            var state = StateDict()
            state.set("fc.weight", try Tensor(weights, shape: [3, 4]))
            try loadState(state)
        }

        func forward(_ x: Tensor, recorder: LayerRecorder?) throws -> Tensor {
            try fc(x.reshaped(to: [x.shape[0], 4]))
        }
    }

    static func dataset() throws -> HARDataset {
        try HARDataset(name: "probe", windows: windows, labels: labels, subjects: [1, 1, 2, 2], splits: Array(repeating: .train, count: 4),
                       classNames: ["a", "b", "c"], channelNames: ["x", "y"], sampleRate: 1, windowLength: 2,
                       protocolDescription: samplePreprocessing)
    }

    /// A trainer of the probe: plain SGD, no schedule, one batch of all four windows per epoch.
    func makeTrainer(augmentation: AugmentationPipeline? = nil, configure: (inout TrainingConfig) -> Void = { _ in }) throws -> Trainer {
        var config = TrainingConfig()
        config.optimizer = .sgd
        config.momentum = 0
        config.weightDecay = 0
        config.learningRate = 0.5
        config.schedule = .none
        config.batchSize = 8
        config.seed = 3
        config.mixedPrecision = .off // the hand computations are float32; `auto` would pick bfloat16 on a CPU that has it
        configure(&config)
        return try Trainer(model: try LinearProbe(weights: Self.startWeights), dataset: try Self.dataset(), config: config, augmentation: augmentation)
    }

    func weights(_ trainer: Trainer) throws -> [Double] {
        try trainer.model.parameters[0].scalars(as: Float.self).map(Double.init)
    }

    func assertClose(_ actual: [Double], _ expected: [Double], accuracy: Double = 2e-6, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, message, file: file, line: line)
        let worst = zip(actual, expected).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, accuracy, "\(message): \(actual) vs hand-computed \(expected)", file: file, line: line)
    }

    // MARK: the hand computation

    /// Inputs as the model sees them, [N][D].
    static var inputs: [[Double]] { (0..<4).map { n in (0..<4).map { Double(windows[n * 4 + $0]) } } }

    static func oneHot(_ label: Int) -> [Double] { (0..<3).map { $0 == label ? 1 : 0 } }

    /// Logits [N][K] of `w` ([K·D], row-major) on `x`.
    static func logits(_ w: [Double], _ x: [[Double]]) -> [[Double]] {
        x.map { row in (0..<3).map { k in (0..<4).reduce(0.0) { $0 + w[k * 4 + $1] * row[$1] } } }
    }

    static func softmax(_ z: [Double]) -> [Double] {
        let m = z.max()!, e = z.map { exp($0 - m) }, s = e.reduce(0, +)
        return e.map { $0 / s }
    }

    /// Mean cross-entropy of `z` against soft targets, and its gradient with respect to `w` ([K·D]).
    static func crossEntropy(_ w: [Double], _ x: [[Double]], targets: [[Double]]) -> (loss: Double, gradient: [Double]) {
        let z = logits(w, x), n = Double(x.count)
        var loss = 0.0, gradient = [Double](repeating: 0, count: 12)
        for (i, row) in z.enumerated() {
            let p = softmax(row)
            loss -= zip(targets[i], p).reduce(0.0) { $0 + $1.0 * log($1.1) } / n
            for k in 0..<3 { for d in 0..<4 { gradient[k * 4 + d] += (p[k] - targets[i][k]) * x[i][d] / n } }
        }
        return (loss, gradient)
    }

    static func plainTargets(smoothing: Double = 0) -> [[Double]] {
        labels.map { label in oneHot(label).map { (1 - smoothing) * $0 + smoothing / 3 } }
    }

    static var start: [Double] { startWeights.map(Double.init) }

    // MARK: the features

    /// PyTorch's label smoothing: the target is (1 − ε)·one-hot + ε/K. Broken version tried: the trainer passing
    /// `labelSmoothing: 0` to the loss (the setting ignored): the loss and the step both differ.
    func testLabelSmoothingMatchesTheHandComputedLossAndStep() throws {
        let trainer = try makeTrainer { $0.labelSmoothing = 0.2 }
        let record = try trainer.train(epochs: 1).records[0]
        let (loss, gradient) = Self.crossEntropy(Self.start, Self.inputs, targets: Self.plainTargets(smoothing: 0.2))
        let plain = Self.crossEntropy(Self.start, Self.inputs, targets: Self.plainTargets()).loss
        XCTAssertGreaterThan(abs(loss - plain), 0.01, "premise: smoothing changes the loss by far more than the tolerance")
        XCTAssertEqual(record.trainLoss, loss, accuracy: 2e-6)
        assertClose(try weights(trainer), zip(Self.start, gradient).map { $0 - 0.5 * $1 }, "weights after one smoothed step")
    }

    /// clip_grad_norm_: the gradient is scaled by maxNorm / (‖g‖ + 1e-6) when that is below 1. Broken version tried:
    /// the trainer skipping `clipGradNorm`: the step is then the unclipped one, 0.41 long instead of 0.025.
    func testGradientClippingScalesTheStepToTheMaximumNorm() throws {
        let trainer = try makeTrainer { $0.clipNorm = 0.05 }
        _ = try trainer.train(epochs: 1)
        let gradient = Self.crossEntropy(Self.start, Self.inputs, targets: Self.plainTargets()).gradient
        let norm = sqrt(gradient.reduce(0) { $0 + $1 * $1 })
        XCTAssertGreaterThan(norm, 0.1, "premise: the gradient is longer than the clipping norm")
        let scale = 0.05 / (norm + 1e-6)
        assertClose(try weights(trainer), zip(Self.start, gradient).map { $0 - 0.5 * scale * $1 }, "weights after one clipped step")
        let step = zip(try weights(trainer), Self.start).map { $0 - $1 }
        XCTAssertEqual(sqrt(step.reduce(0) { $0 + $1 * $1 }), 0.5 * 0.05, accuracy: 1e-6, "the step is learning rate × maximum norm long")
    }

    /// The L1 penalty adds l1·Σ|w| to the loss (reported apart from the training loss) and l1·sign(w) to the gradient.
    /// Broken version tried: `penaltyTerm` adding the L1 term times 0: no penalty reported and the plain step taken.
    func testL1PenaltyIsReportedAndAddsTheSignOfTheWeightsToTheStep() throws {
        let l1 = 0.03
        let trainer = try makeTrainer { $0.l1 = l1 }
        let record = try trainer.train(epochs: 1).records[0]
        let (loss, gradient) = Self.crossEntropy(Self.start, Self.inputs, targets: Self.plainTargets())
        XCTAssertEqual(record.trainLoss, loss, accuracy: 2e-6, "the training loss is the cross-entropy alone")
        XCTAssertEqual(record.penaltyLoss, l1 * Self.start.reduce(0) { $0 + abs($1) }, accuracy: 1e-6)
        let expected = zip(Self.start, gradient).map { w, g in w - 0.5 * (g + l1 * (w > 0 ? 1 : -1)) }
        assertClose(try weights(trainer), expected, "weights after one step with the L1 penalty")
    }

    /// SGD with momentum and L2 weight decay (PyTorch's recurrence: d = g + λw; b₁ = d, bₜ = μ·bₜ₋₁ + d; w −= lr·b)
    /// over three steps. Broken version tried: `Trainer.makeOptimizer` building SGD without `momentum:` (the setting
    /// ignored): the second and third steps differ.
    func testSGDWithMomentumFollowsTheHandComputedRecurrence() throws {
        let (momentum, decay, rate) = (0.9, 0.01, 0.2)
        let trainer = try makeTrainer { $0.momentum = momentum; $0.weightDecay = decay; $0.learningRate = rate }
        XCTAssertTrue(trainer.optimizer is SGD)
        var w = Self.start, buffer: [Double]?
        for epoch in 1...3 {
            _ = try trainer.train(epochs: 1)
            let gradient = Self.crossEntropy(w, Self.inputs, targets: Self.plainTargets()).gradient
            let direction = zip(gradient, w).map { $0 + decay * $1 }
            buffer = buffer.map { b in zip(b, direction).map { momentum * $0 + $1 } } ?? direction
            w = zip(w, buffer!).map { $0 - rate * $1 }
            assertClose(try weights(trainer), w, accuracy: 5e-6, "weights after step \(epoch)")
        }
    }

    /// The cosine schedule in the trainer: epoch i of E runs at base·(1 + cos(πi/E))/2, and each epoch's step uses it.
    /// Broken version tried: `Trainer.learningRate` building `CosineLR(epochs: epochs + 1)`: every rate after the
    /// first differs (and so do the weights).
    func testCosineScheduleSetsEachEpochsRateAndStep() throws {
        let trainer = try makeTrainer { $0.schedule = .cosine; $0.learningRate = 0.8 }
        let records = try trainer.train(epochs: 4).records
        let rates = (0..<4).map { 0.8 * (1 + cos(Double.pi * Double($0) / 4)) / 2 }
        for (record, rate) in zip(records, rates) { XCTAssertEqual(record.learningRate, rate, accuracy: 1e-12, "epoch \(record.epoch)") }
        var w = Self.start
        for rate in rates {
            let gradient = Self.crossEntropy(w, Self.inputs, targets: Self.plainTargets()).gradient
            w = zip(w, gradient).map { $0 - rate * $1 }
        }
        assertClose(try weights(trainer), w, accuracy: 5e-6, "weights after four epochs on the cosine schedule")
    }

    /// Mixup's loss λ·CE(labels) + (1 − λ)·CE(partners' labels) on the blended windows, and its step. The batch is
    /// drawn again from a batcher like the trainer's, so λ, partners and blended windows are the ones it trained on.
    /// Broken version tried: `classificationLoss` ignoring `batch.mix` (only the windows' own labels): the loss and
    /// the step differ.
    func testMixupLossBlendsTheCrossEntropiesOfBothLabels() throws {
        let pipeline = AugmentationPipeline(steps: [.mixup(alpha: 0.4)])
        let trainer = try makeTrainer(augmentation: pipeline)
        let record = try trainer.train(epochs: 1).records[0]

        let data = try Self.dataset()
        let batcher = try Batcher(dataset: data, split: .train, batchSize: 8, shuffle: true, seed: 3, augmentation: pipeline, dropsLoneWindow: true)
        Runtime.manualSeed(3 &+ UInt64(1) &* 0x9E37_79B9_7F4A_7C15)
        let batch = try batcher.batch(0, of: batcher.order(epoch: 1), epoch: 1)
        let mix = try XCTUnwrap(batch.mix)
        let lambda = Double(mix.weight)
        let own = try batch.labels.scalars(as: Int64.self).map(Int.init)
        let partners = try XCTUnwrap(batch.mixLabels).scalars(as: Int64.self).map(Int.init)
        XCTAssertTrue(lambda > 0.05 && lambda < 0.95, "premise: λ = \(lambda) mixes both labels")
        XCTAssertNotEqual(own, partners, "premise: some windows are mixed with a window of another class")
        let blended = try batch.x.scalars(as: Float.self).map(Double.init)
        let x = (0..<4).map { n in Array(blended[(n * 4)..<(n * 4 + 4)]) }
        XCTAssertNotEqual(x.flatMap { $0 }, Self.inputs.flatMap { $0 }, "premise: the windows were blended")

        let a = Self.crossEntropy(Self.start, x, targets: own.map(Self.oneHot))
        let b = Self.crossEntropy(Self.start, x, targets: partners.map(Self.oneHot))
        XCTAssertEqual(record.trainLoss, lambda * a.loss + (1 - lambda) * b.loss, accuracy: 2e-6)
        XCTAssertGreaterThan(abs(a.loss - b.loss), 0.01, "premise: the two labelings' losses differ")
        let gradient = zip(a.gradient, b.gradient).map { lambda * $0 + (1 - lambda) * $1 }
        assertClose(try weights(trainer), zip(Self.start, gradient).map { $0 - 0.5 * $1 }, "weights after one mixup step")
    }

    /// bfloat16 autocast: the forward pass runs on bfloat16-rounded inputs and weights and yields bfloat16 logits (the
    /// master weights stay float32). The loss is checked against that hand computation, and must differ from the
    /// float32 one. Broken version tried: the trainer calling `Autocast.run(enabled: false)`: the loss is then the
    /// float32 one, about 1e-3 away.
    func testMixedPrecisionRunsTheForwardPassInBFloat16() throws {
        let trainer = try makeTrainer { $0.mixedPrecision = .on }
        let record = try trainer.train(epochs: 1).records[0]
        func bfloat16(_ value: Double) -> Double {
            let bits = Float(value).bitPattern
            return Double(Float(bitPattern: (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) & 0xFFFF_0000))
        }
        let z = Self.logits(Self.start.map(bfloat16), Self.inputs.map { $0.map(bfloat16) }).map { $0.map(bfloat16) }
        let loss = zip(z, Self.labels).reduce(0.0) { $0 - log(Self.softmax($1.0)[$1.1]) } / 4
        let float32 = Self.crossEntropy(Self.start, Self.inputs, targets: Self.plainTargets()).loss
        XCTAssertGreaterThan(abs(loss - float32), 5e-5, "premise: bfloat16 rounding moves the loss by far more than the tolerance")
        XCTAssertEqual(record.trainLoss, loss, accuracy: 1e-5, "the loss of bfloat16 logits (float32 would be \(float32))")
        XCTAssertEqual(trainer.model.parameters[0].dtype, .float32, "the master weights stay float32")
    }

    /// `amp auto` (the default) trains in bfloat16 exactly where this machine's CPU computes bfloat16: its loss is
    /// bit-identical to `amp on`'s there, and to `amp off`'s (float32) on any other CPU (a Zen 3 takes this branch).
    /// Broken version tried: `auto` resolved to float32 everywhere: the loss equals `off`'s on this Zen 4 and the test fails.
    func testAutoPrecisionFollowsThisMachinesCPU() throws {
        func loss(_ mode: PrecisionMode) throws -> Double {
            try makeTrainer { $0.mixedPrecision = mode }.train(epochs: 1).records[0].trainLoss
        }
        let (auto, on, off) = (try loss(.auto), try loss(.on), try loss(.off))
        XCTAssertNotEqual(on, off, "premise: bfloat16 and float32 give different losses")
        let trainer = try makeTrainer { $0.mixedPrecision = .auto }
        if CPUDescription.current.computesBFloat16 {
            XCTAssertEqual(auto, on, "this CPU computes bfloat16: auto must train in it")
            XCTAssertEqual(trainer.precision.precision, .bfloat16)
        } else {
            XCTAssertEqual(auto, off, "this CPU has no bfloat16 arithmetic: auto must stay in float32")
            XCTAssertEqual(trainer.precision.precision, .float32)
        }
    }

}

import Foundation
import TestSupport
@testable import Torch
import XCTest

/// Synchronised batch norm (`Functional.syncBatchNorm`, ctorch_syncbn.cpp) over 2 and 3 ranks as threads on loopback,
/// against libtorch's own batch norm over the whole batch (`Functional.batchNorm`, ATen's kernels forward and
/// backward), in float64: the ranks' outputs are the whole batch's rows, their share-weighted gradients sum to the
/// whole batch's, and every rank's running statistics are the whole batch's update. A few seconds.
final class SyncBatchNormTests: IsolatedTestCase {
    /// What one side computed: output, gradients of x (rows), weight and bias, and the running statistics after.
    private struct Outcome {
        var output: [Double], gradX: [Double], gradWeight: [Double], gradBias: [Double], runningMean: [Double], runningVar: [Double]
    }

    /// The loss each side differentiates: Σ(y ⊙ upstream) / windows, the mean over its own windows (as the trainer's
    /// per-rank loss is); the ranks' gradients are summed weighted by their shares, as the trainer sums them.
    private func loss(_ y: Tensor, _ upstream: Tensor) throws -> Tensor { try (y * upstream).sum() / Double(y.shape[0]) }

    /// Leaf copies (float64, with gradients) of the affine parameters, and fresh running statistics.
    private func layer(_ weight: Tensor, _ bias: Tensor) throws -> (weight: Tensor, bias: Tensor, mean: Tensor, variance: Tensor) {
        let w = try weight.cloned(), b = try bias.cloned()
        try w.setRequiresGrad(true)
        try b.setRequiresGrad(true)
        return (w, b, try Tensor.zeros([3]).converted(to: .float64), try Tensor.ones([3]).converted(to: .float64))
    }

    func testRanksSharingABatchNormaliseAndDifferentiateAsTheWholeBatch() throws {
        // Random values are drawn here, before any rank thread starts (they share libtorch's one generator).
        Runtime.manualSeed(11)
        let x = try (Tensor.randn([7, 3, 5, 2]) * 2 + 1).converted(to: .float64)
        let upstream = try Tensor.randn([7, 3, 5, 2]).converted(to: .float64)
        let weight = try (Tensor.rand([3]) + 0.5).converted(to: .float64), bias = try Tensor.randn([3]).converted(to: .float64)

        let whole: Outcome = try {
            let (w, b, mean, variance) = try layer(weight, bias)
            let input = try x.cloned()
            try input.setRequiresGrad(true)
            let y = try Functional.batchNorm(input, weight: w, bias: b, runningMean: mean, runningVar: variance, training: true)
            try loss(y, upstream).backward()
            return Outcome(output: try y.scalars(as: Double.self), gradX: try input.grad!.scalars(as: Double.self),
                           gradWeight: try w.grad!.scalars(as: Double.self), gradBias: try b.grad!.scalars(as: Double.self),
                           runningMean: try mean.scalars(as: Double.self), runningVar: try variance.scalars(as: Double.self))
        }()

        for worldSize in [2, 3] { // 7 windows: shares 4/3, and 3/2/2
            let results = ranks(worldSize, port: try LoopbackPort.free()) { group -> Outcome in
                let base = 7 / worldSize, extra = 7 % worldSize
                let start = group.rank * base + min(group.rank, extra), length = base + (group.rank < extra ? 1 : 0)
                let share = Double(length) / 7
                let (w, b, mean, variance) = try self.layer(weight, bias)
                let input = try x.narrowed(axis: 0, start: start, length: length).cloned()
                try input.setRequiresGrad(true)
                let y = try Functional.syncBatchNorm(input, weight: w, bias: b, runningMean: mean, runningVar: variance, group: group)
                try self.loss(y, try upstream.narrowed(axis: 0, start: start, length: length)).backward()
                return Outcome(output: try y.scalars(as: Double.self),
                               gradX: try (input.grad! * share).scalars(as: Double.self),
                               gradWeight: try (w.grad! * share).scalars(as: Double.self),
                               gradBias: try (b.grad! * share).scalars(as: Double.self),
                               runningMean: try mean.scalars(as: Double.self), runningVar: try variance.scalars(as: Double.self))
            }
            let outcomes = try results.map { try $0.get() }
            let context = "\(worldSize) ranks"
            assertClose(outcomes.flatMap(\.output), whole.output, "output rows, " + context)
            assertClose(outcomes.flatMap(\.gradX), whole.gradX, "share × dL/dx rows, " + context)
            let summed = { (part: KeyPath<Outcome, [Double]>) in
                outcomes.map { $0[keyPath: part] }.reduce(into: [0.0, 0, 0]) { sum, next in for i in sum.indices { sum[i] += next[i] } }
            }
            assertClose(summed(\.gradWeight), whole.gradWeight, "Σ share × dL/dweight, " + context)
            assertClose(summed(\.gradBias), whole.gradBias, "Σ share × dL/dbias, " + context)
            for (rank, outcome) in outcomes.enumerated() {
                assertClose(outcome.runningMean, whole.runningMean, "running mean on rank \(rank), " + context)
                assertClose(outcome.runningVar, whole.runningVar, "running variance (unbiased by the global count) on rank \(rank), " + context)
            }
        }
    }

    /// A rank whose share is empty still takes part in both all-reduces, so the others finish; the global batch is the
    /// others' windows.
    func testAnEmptyShareTakesPartWithZeros() throws {
        Runtime.manualSeed(12)
        let x = try Tensor.randn([3, 3, 4]).converted(to: .float64)
        let ones = try Tensor.ones([3]).converted(to: .float64), zeros = try Tensor.zeros([3]).converted(to: .float64)
        let expected = try Functional.batchNorm(x, weight: ones, bias: zeros, runningMean: nil, runningVar: nil, training: true)
            .scalars(as: Double.self)
        let results = ranks(2, port: try LoopbackPort.free()) { group -> [Double] in
            let (w, b, mean, variance) = try self.layer(ones, zeros)
            let input = try x.narrowed(axis: 0, start: 0, length: group.rank == 0 ? 3 : 0).cloned()
            try input.setRequiresGrad(true)
            let y = try Functional.syncBatchNorm(input, weight: w, bias: b, runningMean: mean, runningVar: variance, group: group)
            try y.sum().backward()
            return try y.scalars(as: Double.self)
        }
        assertClose(try results[0].get(), expected, "rank 0 normalises with its own windows' statistics")
        XCTAssertEqual(try results[1].get(), [], "rank 1 had no windows")
    }

    /// Shapes that do not fit the layer are refused before any collective, naming the argument.
    func testAMismatchedWeightIsNamed() throws {
        let results = ranks(1, port: try LoopbackPort.free()) { group in
            try Functional.syncBatchNorm(try Tensor.zeros([2, 3, 4]), weight: try Tensor.ones([4]), bias: try Tensor.zeros([3]),
                                         runningMean: try Tensor.zeros([3]), runningVar: try Tensor.ones([3]), group: group)
        }
        XCTAssertThrowsError(try results[0].get()) { error in
            XCTAssertTrue("\(error)".contains("synchronised batch norm's weight must have shape [3], got [4]"), "\(error)")
        }
    }

    /// Every element of `actual` within 1e-10 (relative to the largest of `expected`) of `expected`.
    private func assertClose(_ actual: [Double], _ expected: [Double], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, what, file: file, line: line)
        let scale = max(1, expected.map(abs).max() ?? 1)
        let worst = zip(actual, expected).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, 1e-10 * scale, "\(what): largest difference \(worst)", file: file, line: line)
    }
}

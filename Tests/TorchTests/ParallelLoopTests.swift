import XCTest
@testable import Torch
import TestSupport

/// The shim's own parallel loops (`ctorch_parallel_for.h`): split over libtorch's intra-op threads as at::parallel_for
/// splits them in ATen's OpenMP build, although the shim is compiled without OpenMP (where at::parallel_for runs
/// serially), and the kernels that use them give the same bits on one thread and on two.
final class ParallelLoopTests: ThreadRestoringTestCase {
    func testLoopsSplitOverTheIntraOpThreadsInChunksOfAtLeastTheGrain() throws {
        try Runtime.setThreads(2)
        XCTAssertEqual(try Runtime.parallelLoopThreads(range: 1000, grain: 1), 2, "two threads, plenty of work")
        XCTAssertEqual(try Runtime.parallelLoopThreads(range: 1000, grain: 600), 2, "two chunks of at least 600")
        XCTAssertEqual(try Runtime.parallelLoopThreads(range: 1000, grain: 1000), 1, "one grain's work runs inline")
        XCTAssertEqual(try Runtime.parallelLoopThreads(range: 1, grain: 0), 1)
        XCTAssertEqual(try Runtime.parallelLoopThreads(range: 0, grain: 1), 0, "nothing to run")
        try Runtime.setThreads(3)
        XCTAssertEqual(try Runtime.parallelLoopThreads(range: 2, grain: 1), 2, "no more threads than items")
        XCTAssertEqual(try Runtime.parallelLoopThreads(range: 300, grain: 1), 3)
        try Runtime.setThreads(1)
        XCTAssertEqual(try Runtime.parallelLoopThreads(range: 1000, grain: 1), 1, "one thread set, one used")
        XCTAssertThrowsError(try Runtime.parallelLoopThreads(range: -1, grain: 1)) { error in
            XCTAssertTrue("\(error)".contains("-1"), "the message names the bad count: \(error)")
        }
    }

    /// The fused spatial-attention block (its passes split over samples, features and sample × feature planes), forward
    /// and backward in training, on one thread and on two: every output, gradient and running statistic bit for bit.
    func testTheFusedAttentionBlockGivesTheSameBitsOnOneThreadAndOnTwo() throws {
        let (batch, features, steps, channels) = (6, 5, 23, 9)
        Runtime.manualSeed(29)
        let x = try Tensor.randn([batch, features, steps, channels])
        let upstream = try Tensor.randn(x.shape)
        let parameters = try [Tensor.randn([1, 1, 3, 1]), Tensor.randn([1]), Tensor.rand([features]) + 0.5, Tensor.randn([features])]
        let (mean, variance) = (try Tensor.randn([features]), try Tensor.rand([features]) + 0.5)

        func pass(threads: Int) throws -> [[UInt32]] {
            try Runtime.setThreads(threads)
            let input = try x.cloned().detached()
            try input.setRequiresGrad(true)
            let leaves = try parameters.map { p -> Tensor in
                let leaf = try p.cloned().detached()
                try leaf.setRequiresGrad(true)
                return leaf
            }
            let (runningMean, runningVar) = (try mean.cloned(), try variance.cloned())
            let (output, gate) = try Functional.spatialAttentionBlock(
                input, gateWeight: leaves[0], gateBias: leaves[1], normWeight: leaves[2], normBias: leaves[3],
                runningMean: runningMean, runningVar: runningVar, training: true)
            try (output * upstream).sum().backward()
            let gradients = try ([input] + leaves).map { try XCTUnwrap($0.grad) }
            return try ([output, gate, runningMean, runningVar] + gradients).map { try $0.scalars(as: Float.self).map(\.bitPattern) }
        }

        let names = ["output", "gate", "running mean", "running variance", "d/dx", "d/d gate weight", "d/d gate bias",
                     "d/d norm weight", "d/d norm bias"]
        let one = try pass(threads: 1), two = try pass(threads: 2)
        XCTAssertEqual(try Runtime.parallelLoopThreads(range: batch, grain: 1), 2, "the two-thread pass split its samples")
        for (n, name) in names.enumerated() {
            XCTAssertEqual(one[n], two[n], "\(name): 1 and 2 threads differ")
        }
    }
}

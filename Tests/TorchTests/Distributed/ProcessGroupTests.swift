import Foundation
import TestSupport
@testable import Torch
import XCTest

/// c10d's TCPStore and Gloo process group through CTorch: ranks as threads of this process on loopback (each with
/// its own store client and group, as separate processes would have), collectives checked against sums computed
/// here, and the failures a job meets (nobody hosting the store, a port in use) as bounded, clear errors.
final class ProcessGroupTests: IsolatedTestCase {
    func testCollectivesOfThreeRanksMatchSumsComputedHere() throws {
        let port = try LoopbackPort.free()
        let results = ranks(3, port: port) { group -> [[Double]] in
            let r = Double(group.rank)
            let summed = try Tensor([r + 1, 10 * r], shape: [2]).converted(to: .float64)
            try group.allReduceSum(summed)
            let broadcast = try Tensor([r, r, r], shape: [3])
            try group.broadcast(broadcast, from: 2)
            let gathered = try group.allGather(try Tensor([Float(r), Float(r * r)]))
            try group.barrier()
            return [try summed.scalars(as: Double.self), try broadcast.scalars(as: Float.self).map(Double.init),
                    try gathered.reshaped(to: [-1]).scalars(as: Float.self).map(Double.init), gathered.shape.map(Double.init)]
        }
        for (rank, result) in results.enumerated() {
            let values = try result.get()
            XCTAssertEqual(values[0], [1 + 2 + 3, 0 + 10 + 20], "all-reduce sum on rank \(rank)")
            XCTAssertEqual(values[1], [2, 2, 2], "broadcast from rank 2 on rank \(rank)")
            XCTAssertEqual(values[2], [0, 0, 1, 1, 2, 4], "all-gather in rank order on rank \(rank)")
            XCTAssertEqual(values[3], [3, 2], "all-gather stacks along a new first axis")
        }
    }

    /// Rank r's gradient is (r + 1) × ones; with shares 0.25 and 0.75 the summed gradient is 0.25·1 + 0.75·2, the
    /// values are summed alongside, and a parameter without a gradient takes the others' sum.
    func testSumGradientsWeighsEachRankByItsShareInOneBuffer() throws {
        let port = try LoopbackPort.free()
        let results = ranks(2, port: port) { group -> [Double] in
            let weight = try Tensor.zeros([2, 3])
            try weight.setRequiresGrad(true)
            try (weight * Double(group.rank + 1)).sum().backward()
            let unused = try Tensor.zeros([2])
            try unused.setRequiresGrad(true)
            var values = [Double(group.rank + 1), 0.5]
            try group.sumGradients(of: [weight, unused], scale: group.rank == 0 ? 0.25 : 0.75, values: &values)
            return try weight.grad!.scalars(as: Float.self).map(Double.init) + (try unused.grad!.scalars(as: Float.self).map(Double.init)) + values
        }
        for result in results {
            XCTAssertEqual(try result.get(), Array(repeating: 0.25 * 1 + 0.75 * 2, count: 6) + [0, 0] + [3, 1])
        }
    }

    func testChecksumSeesOneBitAndIgnoresNothing() throws {
        let a = try Tensor([Float(1), 2, 3])
        let same = try Tensor([Float(1), 2, 3])
        let other = try Tensor([Float(1), 2, 3.0000002])
        XCTAssertEqual(try Tensor.checksum(of: [a]), try Tensor.checksum(of: [same]))
        XCTAssertNotEqual(try Tensor.checksum(of: [a]), try Tensor.checksum(of: [other]))
        XCTAssertNotEqual(try Tensor.checksum(of: [a, same]), try Tensor.checksum(of: [a]))
    }

    /// Nobody hosts the store: joining retries the refused connection until the timeout, then says so.
    func testJoiningAStoreNobodyHostsFailsAfterTheTimeout() throws {
        let port = try LoopbackPort.free()
        let started = Date()
        XCTAssertThrowsError(try DistributedStore(host: "127.0.0.1", port: port, isHost: false, worldSize: 2, timeout: 1.5)) { error in
            XCTAssertTrue("\(error)".contains("timed out"), "\(error)")
        }
        let seconds = Date().timeIntervalSince(started)
        XCTAssertGreaterThanOrEqual(seconds, 1.4, "it retried until the timeout")
        XCTAssertLessThan(seconds, 15, "and not much longer")
    }

    func testHostingOnAPortInUseFailsAtOnce() throws {
        let held = try LoopbackPort.held()
        let started = Date()
        XCTAssertThrowsError(try DistributedStore(host: "127.0.0.1", port: held.number, isHost: true, worldSize: 2, timeout: 10)) { error in
            XCTAssertTrue("\(error)".contains("Address already in use"), "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }

    func testARankOutsideTheWorldIsRefused() throws {
        let port = try LoopbackPort.free()
        let store = try DistributedStore(host: "127.0.0.1", port: port, isHost: true, worldSize: 2, timeout: 2)
        XCTAssertThrowsError(try ProcessGroup(store: store, rank: 2, worldSize: 2, timeout: 2)) { error in
            XCTAssertTrue("\(error)".contains("rank 2 is outside 0..<2"), "\(error)")
        }
    }
}

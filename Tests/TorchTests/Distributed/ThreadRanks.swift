import Foundation
import TestSupport
@testable import Torch
import XCTest

extension XCTestCase {
    /// Runs `body` as each of `worldSize` ranks, each on its own thread with its own store client and Gloo group (the
    /// group forms only when all have joined, so they must run at once), and returns each rank's result or error.
    /// Ranks share this process's one libtorch generator: make anything random before they start.
    func ranks<T>(_ worldSize: Int, port: Int, timeout: TimeInterval = 20,
                  _ body: @escaping (ProcessGroup) throws -> T) -> [Result<T, Error>] {
        let results = RankResults<T>(count: worldSize)
        let done = DispatchGroup()
        for rank in 0..<worldSize {
            done.enter()
            let thread = Thread {
                results.set(rank, Result {
                    let store = try DistributedStore(host: "127.0.0.1", port: port, isHost: rank == 0, worldSize: worldSize, timeout: timeout)
                    let group = try ProcessGroup(store: store, rank: rank, worldSize: worldSize, hostname: "127.0.0.1", timeout: timeout)
                    return try body(group)
                })
                done.leave()
            }
            thread.start()
        }
        XCTAssertEqual(done.wait(timeout: .now() + 120), .success, "the ranks did not finish")
        return results.values
    }
}

/// One slot per rank, written from the ranks' threads.
private final class RankResults<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<T, Error>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ rank: Int, _ result: Result<T, Error>) {
        lock.lock()
        slots[rank] = result
        lock.unlock()
    }

    var values: [Result<T, Error>] {
        lock.lock()
        defer { lock.unlock() }
        return slots.map { $0 ?? .failure(TorchError("rank did not finish")) }
    }
}

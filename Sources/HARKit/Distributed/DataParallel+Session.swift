import Foundation
import Torch

/// The job of an interactive session with workers (`set workers N`): the session is rank 0 and hosts the store;
/// each worker (`har worker --join HOST:PORT`) takes the next rank, 1, 2, …, in the order it arrives. Besides the
/// collectives of training, session and workers exchange messages (what to run, how it went) through the store,
/// under keys of their own.
extension DataParallel {
    /// The key holding the world size the session chose (workers read it to know the job's size).
    private static let worldKey = "harlab/session/world"
    /// The counter each arriving worker increments: its new value is the worker's rank.
    private static let arrivalsKey = "harlab/session/arrivals"

    /// Hosts a session's job of `worldSize` ranks, this process rank 0, and returns once every worker has arrived
    /// and the process group has formed.
    /// - Parameters:
    ///   - address: the address workers join (the store itself listens on every address of this machine; a loopback
    ///     address keeps Gloo on loopback too).
    ///   - port: the store's port.
    ///   - timeout: the bound on every later rendezvous and collective (`HARLAB_DIST_TIMEOUT`).
    ///   - interface: the network interface Gloo binds to (`GLOO_SOCKET_IFNAME`), if given.
    ///   - waiting: how long the workers may take to arrive.
    ///   - check: called about every 50 ms while waiting; throws to give up (a local worker exited, Ctrl-C).
    /// - Throws: `DistributedError` naming the port in use, the workers that did not arrive in time, or the
    ///   failed rendezvous; whatever `check` throws.
    public static func hostSession(address: String, port: Int, worldSize: Int, timeout: TimeInterval, interface: String? = nil,
                                   waiting: TimeInterval, check: () throws -> Void) throws -> DataParallel {
        let launch = LaunchEnvironment(masterAddress: address, masterPort: port, rank: 0, worldSize: worldSize,
                                       timeout: timeout, interface: interface)
        let store = try connectStore(launch)
        try wrapped("the session publishing its job's size", launch) { try store.set(worldKey, Array("\(worldSize)".utf8)) }
        let deadline = Date().addingTimeInterval(waiting)
        while true {
            let arrived = try wrapped("the session counting its workers", launch) { try store.add(arrivalsKey, 0) }
            if arrived >= worldSize - 1 { break }
            try check()
            guard Date() < deadline else {
                throw DistributedError("\(arrived) of the \(counted(worldSize - 1, "worker")) joined the session at \(address):\(port) "
                                       + "within \(String(format: "%g", waiting)) s")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return try join(launch, over: store)
    }

    /// Joins the session whose store is at `address`:`port` as its next worker (the rank is the order of arrival).
    /// - Throws: `DistributedError` when no session answers there within `timeout`, when it has all its workers
    ///   already, or when the rendezvous fails (another harlab version).
    public static func joinSession(address: String, port: Int, timeout: TimeInterval, interface: String? = nil) throws -> DataParallel {
        var launch = LaunchEnvironment(masterAddress: address, masterPort: port, rank: 1, worldSize: 2, timeout: timeout, interface: interface)
        let store: DistributedStore
        do { store = try connectStore(launch) } catch {
            throw DistributedError("no session answered at \(address):\(port) within \(String(format: "%g", timeout)) s "
                                   + "(is `set workers N listen=…` waiting there, and is the address right?): \(error)")
        }
        let worldText = try wrapped("reading the session's job size at \(address):\(port)", launch) {
            String(decoding: try store.get(worldKey), as: UTF8.self)
        }
        guard let worldSize = Int(worldText), worldSize >= 2 else {
            throw DistributedError("the program at \(address):\(port) is not a harlab session waiting for workers (it sent '\(worldText)')")
        }
        let rank = try wrapped("taking a rank in the session at \(address):\(port)", launch) { try store.add(arrivalsKey, 1) }
        guard rank < worldSize else {
            throw DistributedError("the session at \(address):\(port) has all its \(counted(worldSize - 1, "worker")) already")
        }
        launch.rank = rank
        launch.worldSize = worldSize
        return try join(launch, over: store)
    }

    /// Sets the message `key` to `bytes` for the other ranks.
    /// - Throws: `DistributedError` when the session's store is gone.
    public func post(_ key: String, _ bytes: Data) throws {
        try collective("posting \(key)") { try group.store.set("harlab/session/\(key)", Array(bytes)) }
    }

    /// The message `key`, waiting up to the job's timeout for a rank to post it.
    /// - Throws: `DistributedError` when it did not come in time or the session's store is gone.
    public func message(_ key: String) throws -> Data {
        try collective("reading \(key)") { Data(try group.store.get("harlab/session/\(key)")) }
    }

    /// Adds `delta` to the counter `key` (0 when never set) and returns its new value; with `delta` 0 it reads the
    /// counter without waiting, which is how ranks poll for each other's progress.
    /// - Throws: `DistributedError` when the session's store is gone (how a worker learns that its session ended).
    @discardableResult
    public func count(_ key: String, adding delta: Int = 0) throws -> Int {
        try collective("counting \(key)") { try group.store.add("harlab/session/\(key)", delta) }
    }
}

import CTorch
import Foundation

/// The rendezvous key-value store of a distributed job: c10d's `TCPStore`, the store PyTorch's `env://`
/// initialisation uses. One rank hosts it (listens on the port); every rank, the host included, is a client.
public final class DistributedStore {
    let handle: ct_store

    /// Hosts the store on `port` (when `isHost`) or joins the one at `host`:`port`.
    /// - Parameters:
    ///   - host: the master's address (the hosting rank listens on every local address).
    ///   - port: the master's port.
    ///   - isHost: whether this process hosts the store (rank 0).
    ///   - worldSize: the number of ranks of the job.
    ///   - prefix: a prefix for every key of this store and of process groups over it (empty: none), as PyTorch's
    ///     workers use in a store a launcher's agent hosts (`/worker/attempt_0`).
    ///   - timeout: how long joining retries a refused connection, and how long any later wait on a key lasts.
    /// - Throws: `TorchError` with c10d's message when the port is in use, or when no store answered in time.
    public init(host: String, port: Int, isHost: Bool, worldSize: Int, prefix: String = "", timeout: TimeInterval) throws {
        handle = try checkedPointer(ct_store_connect(host, Int32(clamping: port), isHost ? 1 : 0, Int32(clamping: worldSize),
                                                     prefix, milliseconds(timeout)))
    }

    deinit { ct_store_free(handle) }

    /// Sets `key` to `value`.
    public func set(_ key: String, _ value: [UInt8]) throws {
        _ = try value.withUnsafeBufferPointer { try checked(ct_store_set(handle, key, $0.baseAddress, Int64($0.count))) }
    }

    /// The value of `key`, waiting for another rank to set it (up to the store's timeout).
    /// - Throws: `TorchError` when the wait times out or the store's host is gone.
    public func get(_ key: String) throws -> [UInt8] {
        var count: Int64 = 0
        let bytes = try checkedPointer(ct_store_get(handle, key, &count))
        defer { free(bytes) }
        return Array(UnsafeBufferPointer(start: bytes, count: Int(count)))
    }

    /// Adds `delta` to the counter at `key` (0 when absent) and returns the new value.
    @discardableResult
    public func add(_ key: String, _ delta: Int) throws -> Int {
        var value: Int64 = 0
        try checked(ct_store_add(handle, key, Int64(delta), &value))
        return Int(value)
    }
}

/// A positive timeout in whole milliseconds (at least 1), as c10d takes it.
func milliseconds(_ seconds: TimeInterval) -> Int64 {
    Int64(max(1, (seconds * 1000).rounded()))
}

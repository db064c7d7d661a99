import Foundation
import Torch

/// A rank's sign of life while the ranks of a job work apart (folds and trials farmed out, see `JobFarm`): a thread
/// with its own connection to the job's store bumps the counter `harlab/alive/RANK` every `interval`, however long
/// this rank's main thread computes without talking to the others. Another rank whose counter stands still for
/// the job's timeout is taken for dead; a store that stops answering means rank 0 (its host) is gone.
final class JobHeartbeat: @unchecked Sendable {
    /// Seconds between two beats.
    let interval: TimeInterval
    private let lock = NSLock()
    private var stopping = false
    private var trouble: DistributedError?
    private let ended = DispatchSemaphore(value: 0)

    /// Starts beating for `launch`'s rank: a beat at least every second, four per timeout when that is shorter.
    init(launch: LaunchEnvironment) {
        interval = min(1, launch.timeout / 4)
        let thread = Thread { [self] in beat(launch) }
        thread.name = "harlab heartbeat"
        thread.start()
    }

    /// Why beating failed (the store, hosted by rank 0, stopped answering); nil while it works.
    var failure: DistributedError? {
        lock.lock()
        defer { lock.unlock() }
        return trouble
    }

    /// Stops beating and waits for the thread to end (at most one interval and one store call); later calls return.
    func stop() {
        lock.lock()
        let first = !stopping
        stopping = true
        lock.unlock()
        if first { ended.wait() }
    }

    private var shouldEnd: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopping
    }

    /// The thread's loop: its own store client (c10d's client is not shared between threads), one `add` per beat.
    private func beat(_ launch: LaunchEnvironment) {
        defer { ended.signal() }
        do {
            let store = try DistributedStore(host: launch.masterAddress, port: launch.masterPort, isHost: false,
                                             worldSize: launch.worldSize, prefix: launch.agentStorePrefix ?? "", timeout: launch.timeout)
            while !shouldEnd {
                try store.add("harlab/alive/\(launch.rank)", 1)
                Thread.sleep(forTimeInterval: interval)
            }
        } catch {
            lock.lock()
            trouble = DistributedError("rank \(launch.rank) lost the job's store at \(launch.masterAddress):\(launch.masterPort) "
                                       + "(rank 0, its host, stopped?): \(error)")
            lock.unlock()
        }
    }
}

import Foundation

/// Which rank a failed collective lost. Gloo's failure names a socket, not a rank; every rank that trains
/// data-parallel beats a heartbeat (`JobHeartbeat`, the counter `harlab/alive/RANK` in the job's store, from its
/// first `train` on), so after a failure the ranks still running watch the others' counters for a few beats and name
/// those that stood still.
extension DataParallel {
    /// Starts this rank's heartbeat, once: at the start of its first data-parallel `train`.
    func beatWhileTraining() {
        if trainingHeartbeat == nil { trainingHeartbeat = JobHeartbeat(launch: launch) }
    }

    /// `failure` with the ranks it lost named: every other rank whose heartbeat did not move over three beats
    /// (`rank 1 gave no sign of life for 3 s after the failure`), or rank 0 when its store stopped answering. Only
    /// for a failed collective (`collectiveFailed`; not a difference the ranks found): otherwise, or when all are alive, `failure` as it is.
    func namingLostRanks(_ failure: DistributedError) -> DistributedError {
        guard let heartbeat = trainingHeartbeat, failure.collectiveFailed else { return failure }
        let others = (0..<worldSize).filter { $0 != rank }
        let window = 3 * heartbeat.interval
        do {
            let before = try others.map { try group.store.add("harlab/alive/\($0)", 0) }
            Thread.sleep(forTimeInterval: window)
            let after = try others.map { try group.store.add("harlab/alive/\($0)", 0) }
            let silent = others.indices.filter { before[$0] == after[$0] }.map { others[$0] }
            guard !silent.isEmpty else { return failure }
            return DistributedError(failure.message + "; \(silent.count == 1 ? "rank" : "ranks") "
                                    + "\(silent.map(String.init).joined(separator: ", ")) gave no sign of life for "
                                    + "\(String(format: "%g", window)) s after the failure (lost: died or hangs)", collectiveFailed: true)
        } catch {
            return DistributedError(failure.message + "; the job's store at \(launch.masterAddress):\(launch.masterPort) stopped answering "
                                    + "(rank 0, its host, lost)", collectiveFailed: true)
        }
    }
}

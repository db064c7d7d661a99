import Foundation
import Torch

/// Independent pieces of work (the folds of a `cv`, the trials of a `tune` rung) shared out between the ranks of a
/// job: each task runs whole on ONE rank, and every rank receives every task's result, as JSON through the job's
/// store, in task order — so every rank takes the same decisions from the same results, and rank 0 alone records.
///
/// Waiting for a task that another rank computes can take longer than any collective's timeout, so a farm does not
/// wait in a collective: it polls the store, and takes a rank whose heartbeat (`JobHeartbeat`) stood still for the
/// job's timeout for dead. Any rank dying therefore stops the others within the timeout (plus a second), with a
/// message naming it; rank 0 dying takes the store with it, which the others see at their next poll.
final class JobFarm {
    /// What one rank posts for one task: its result, or why it failed.
    private enum Posted<Result: Codable>: Codable {
        case done(Result)
        case failed(String)
    }

    /// A task that failed on the rank that ran it; every rank throws it when it reaches that task.
    struct TaskFailure: HARKitError {
        /// The task's error, as the rank that ran it said it.
        var message: String
    }

    private let job: DataParallel
    /// The farm's key prefix in the store, the same on every rank (`harlab/farm/N`, N counting this rank's farms).
    private let key: String
    /// What is farmed out, for messages ("the cross-validation").
    private let what: String
    private let heartbeat: JobHeartbeat
    /// Each other rank's last heartbeat count and when it last changed.
    private var lastBeats: [Int: (count: Int, since: Date)] = [:]
    private var lastCheck = Date.distantPast
    /// Seconds between two polls of the store while waiting.
    private let pollInterval: TimeInterval = 0.05

    /// Opens the next farm of `job`: the ranks must call this in the same order (they run the same commands).
    /// - Throws: `DistributedError` when the store does not answer.
    init(job: DataParallel, what: String) throws {
        self.job = job
        self.what = what
        let number = try job.collective("opening \(what)") { try job.group.store.add("harlab/farm/count/\(job.rank)", 1) }
        key = "harlab/farm/\(number)"
        heartbeat = JobHeartbeat(launch: job.launch)
    }

    /// Whether this rank runs `task` when tasks are dealt round-robin (task t to rank t mod world size).
    func runsHere(_ task: Int) -> Bool { task % job.worldSize == job.rank }

    /// Runs `tasks` (task numbers, unique within `round`), each on one rank, and gives every task's result to
    /// `collect` on every rank in the order of `tasks`, as results arrive (between this rank's own tasks, then
    /// waiting for the rest).
    /// - Parameters:
    ///   - round: names this set of tasks within the farm (a tuning rung); the ranks call `run` with the same rounds
    ///     and tasks in the same order.
    ///   - sticky: each task runs on the rank `runsHere` names (work that must stay where its state is); otherwise a
    ///     rank takes the next task from a shared counter when it is free (a dynamic queue).
    ///   - body: computes one task on this rank; an error it throws is posted and thrown on every rank as a
    ///     `TaskFailure` when that task is collected (a `DistributedError` is thrown here at once).
    /// - Throws: `DistributedError` when a rank died or the store stopped answering; `TaskFailure`; what `collect` throws.
    func run<Result: Codable>(round: Int, tasks: [Int], sticky: Bool, body: (Int) throws -> Result,
                              collect: (Int, Result) throws -> Void) throws {
        let prefix = "\(key)/\(round)"
        var collected = 0
        var mine = tasks.filter(runsHere)[...]
        while true {
            try collectArrived(tasks, prefix: prefix, from: &collected, collect)
            let task: Int
            if sticky {
                guard let next = mine.popFirst() else { break }
                task = next
            } else {
                let position = try store("taking a task") { try $0.add("\(prefix)/next", 1) } - 1
                guard position < tasks.count else { break }
                task = tasks[position]
            }
            let posted: Posted<Result>
            do {
                posted = .done(try body(task))
            } catch let error as DistributedError {
                throw error
            } catch {
                posted = .failed("\(error)")
            }
            let bytes = Array(try RunJSON.encoder.encode(posted))
            try store("posting the result of task \(task)") { store in
                try store.set("\(prefix)/result/\(task)", bytes)
                try store.add("\(prefix)/posted/\(task)", 1)
            }
        }
        while collected < tasks.count {
            try checkPeers(force: false)
            try collectArrived(tasks, prefix: prefix, from: &collected, collect)
            if collected < tasks.count { Thread.sleep(forTimeInterval: pollInterval) }
        }
    }

    /// Gives `collect` every result that has arrived, from task position `collected` on, in order.
    private func collectArrived<Result: Codable>(_ tasks: [Int], prefix: String, from collected: inout Int,
                                                 _ collect: (Int, Result) throws -> Void) throws {
        while collected < tasks.count {
            let task = tasks[collected]
            guard try store("polling task \(task)", { try $0.add("\(prefix)/posted/\(task)", 0) }) > 0 else { return }
            let bytes = try store("reading the result of task \(task)") { try $0.get("\(prefix)/result/\(task)") }
            let posted: Posted<Result>
            do {
                posted = try RunJSON.decoder.decode(Posted<Result>.self, from: Data(bytes))
            } catch {
                throw DistributedError("the result of task \(task) of \(what) cannot be read (ranks of different harlab versions?): \(error)")
            }
            collected += 1
            switch posted {
            case .done(let result): try collect(task, result)
            case .failed(let message): throw TaskFailure(message: message)
            }
        }
    }

    /// Asks every rank to stop its tasks (Ctrl-C on one rank): their `shouldStop` (see `stopping(_:)`) turns true.
    func requestStop() throws {
        _ = try store("asking the others to stop") { try $0.add("\(key)/stop", 1) }
    }

    /// `shouldStop` for this rank's training: true when `user` says so, when another rank asked to stop, or when a
    /// rank died (the error is kept for `checkPeers`); the store is asked at most twice a second.
    func stopping(_ user: @escaping () -> Bool) -> () -> Bool {
        var stopped = false
        return { [self] in
            if stopped || user() { return true }
            guard Date().timeIntervalSince(lastCheck) >= 0.5 else { return false }
            do {
                try checkPeers(force: true)
                stopped = try store("polling the stop request") { try $0.add("\(key)/stop", 0) } > 0
            } catch {
                stopped = true
            }
            return stopped
        }
    }

    /// Throws when this rank's heartbeat lost the store or another rank's heartbeat stood still for the timeout;
    /// asks the store at most twice a second unless `force`.
    /// - Throws: `DistributedError` naming the rank and the bound.
    func checkPeers(force: Bool) throws {
        if let failure = heartbeat.failure { throw failure }
        let now = Date()
        guard force || now.timeIntervalSince(lastCheck) >= 0.5 else { return }
        lastCheck = now
        for other in 0..<job.worldSize where other != job.rank {
            let count = try store("reading the heartbeat of rank \(other)") { try $0.add("harlab/alive/\(other)", 0) }
            guard let last = lastBeats[other], last.count == count else {
                lastBeats[other] = (count, now)
                continue
            }
            if now.timeIntervalSince(last.since) > job.launch.timeout {
                throw DistributedError("rank \(job.rank) stopped \(what): rank \(other) gave no sign of life for "
                                       + "\(String(format: "%g", job.launch.timeout)) s (it died or hangs — HARLAB_DIST_TIMEOUT)")
            }
        }
    }

    /// Ends the farm: stops the heartbeat and waits (bounded) until every rank has collected everything, so rank 0
    /// (the store's host) does not leave while another rank still reads from the store.
    /// - Throws: `DistributedError` when a rank does not arrive within the timeout.
    func finish() throws {
        heartbeat.stop()
        try job.collective("finishing \(what)") { try job.group.barrier() }
    }

    /// Stops the heartbeat without waiting for the others (the farm failed).
    func abandon() { heartbeat.stop() }

    /// One store call; a failure says what this rank was doing and that rank 0 (the store's host) may be gone.
    private func store<T>(_ doing: String, _ body: (DistributedStore) throws -> T) throws -> T {
        do { return try body(job.group.store) } catch let error as TorchError {
            throw DistributedError("rank \(job.rank) \(doing) in \(what) failed (the job's store at "
                                   + "\(job.launch.masterAddress):\(job.launch.masterPort) stopped answering: rank 0 died?): \(error.message)")
        }
    }
}

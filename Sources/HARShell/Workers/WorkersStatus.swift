import HARKit

/// The workers of a session as `status` and `show` say them.
struct WorkersStatus {
    /// The ranks of the session's job, the session included (1: no workers).
    var ranks = 1
    /// The workers in words, and where they joined, when there are any.
    var summary: String?
    /// Where the workers joined (`127.0.0.1:40123`).
    var address: String?
    /// The workers' process ids, in rank order.
    var pids: [Int] = []
    /// Why the session stopped its workers after a failure, when it did and no `set workers` came since.
    var stopped: String?

    /// The workers of `interpreter`'s session.
    init(_ interpreter: Interpreter) {
        stopped = interpreter.workersStopped
        guard let pool = interpreter.workers else { return }
        ranks = pool.count + 1
        summary = pool.summary
        address = pool.address
        pids = pool.members.map { Int($0.pid) }
    }

    /// `none (set workers N trains on N ranks)`, `none: stopped after a failure (…) — `set workers 2` starts them
    /// again`, or `3 ranks: this session and 2 workers on this machine (…)`.
    var line: String {
        if let summary { return "\(ranks) ranks: this session and \(summary)" }
        return stopped.map { "none: \($0)" } ?? "none (`set workers N` trains on N ranks, this session one of them)"
    }

    /// `workers` (the ranks, 1 when none), `worker_address` (null when none), `worker_pids`, `workers_stopped` (why
    /// the session stopped its workers after a failure; null when it did not).
    var fields: [(String, JSONValue)] {
        [("workers", .int(ranks)), ("worker_address", address.map(JSONValue.string) ?? .null), ("worker_pids", .array(pids.map(JSONValue.int))),
         ("workers_stopped", stopped.map(JSONValue.string) ?? .null)]
    }
}

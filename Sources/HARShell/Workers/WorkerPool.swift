import Foundation
import HARKit

/// The workers of this session (`set workers N`): a data-parallel job whose rank 0 is this session (it hosts the
/// store) and whose other ranks are `har worker` processes, started here on loopback or joined by hand from other
/// machines (`listen=`). For each command they share (`train`, `cv`, `tune`) the session posts a `WorkerJob`,
/// waits until every worker has adopted its state (`dispatch`), runs the command itself while the workers run it,
/// then gathers how it went on each (`finish`).
final class WorkerPool {
    /// One worker, as it introduced itself after joining: its rank, process id and machine.
    struct Member: Codable {
        /// Its rank in the job.
        var rank: Int
        /// Its process id on its machine.
        var pid: Int32
        /// Its machine's name.
        var host: String
    }

    /// How the workers did in one job.
    struct Outcome {
        /// What went wrong on the workers, one phrase each (empty when all went well).
        var problems: [String]
        /// Whether the ranks may be out of step (a worker gone or silent, a collective failed, some ranks succeeded
        /// where others failed): the session then stops its workers.
        var mustStop: Bool
    }

    /// The job: this session is its rank 0.
    let parallel: DataParallel
    /// The workers in rank order.
    let members: [Member]
    /// The worker processes this session started, by rank (none when the workers joined by hand).
    private let local: [Int: LocalWorker]
    /// Where the workers joined (`127.0.0.1:40123`).
    let address: String
    /// The bound on every wait of a job (`HARLAB_DIST_TIMEOUT`).
    let timeout: TimeInterval
    /// The jobs posted so far.
    private var posted = 0
    /// The session's model that the workers' models stand for, and the number telling them to rebuild.
    private weak var mirroredModel: AnyObject?
    private var generation = 0
    /// Whether the workers' models hold the session's model's weights (since a `train` every rank finished, or a
    /// `tune` that kept its best trial; not after a new model, which the workers build with fresh weights, nor after
    /// an `eval` found the ranks' weight checksums differing).
    private(set) var weightsInStep = false
    /// The session's trainer whose optimizer state the workers' trainers hold too (made or last used by a `train`
    /// every rank finished, or the best trial's a `tune` sent every rank).
    weak var mirroredTrainer: Trainer?

    /// Records that every rank finished a command that left it holding `session`'s model and trainer (a `train`
    /// they shared, or a `tune` that kept its best trial, which the tuner sends to all: see `WorkerWeights`).
    func mirror(_ session: Session) {
        mirroredTrainer = session.trainer
        mirroredModel = session.model.map { $0 as AnyObject }
        weightsInStep = true
    }

    /// Records that the workers' weights turned out not to be the session's (an `eval` compared the ranks' weight
    /// checksums): later `eval`s run in the session alone until a shared `train` or kept `tune` brings them in step.
    func weightsDiffer() { weightsInStep = false }

    /// The session's model the workers' models stand for, if it still exists.
    var mirroredModelObject: AnyObject? { mirroredModel }

    /// How many workers there are.
    var count: Int { members.count }

    /// Whether this session started its workers (they run on this machine).
    var areLocal: Bool { !local.isEmpty }

    private init(parallel: DataParallel, local: [LocalWorker], address: String, timeout: TimeInterval) throws {
        self.parallel = parallel
        self.address = address
        self.timeout = timeout
        members = try (1..<parallel.worldSize).map { rank in
            try JSONDecoder().decode(Member.self, from: try parallel.message("worker/\(rank)"))
        }
        var byRank: [Int: LocalWorker] = [:]
        for member in members { byRank[member.rank] = local.first { $0.pid == member.pid } }
        self.local = byRank
    }

    /// Starts `count` workers of `launch` on this machine and returns once all have joined this session, hosted on
    /// 127.0.0.1 and a free port (another port is tried when the one picked was taken meanwhile).
    /// - Throws: `ShellError` when a worker cannot start or ends before joining, or on Ctrl-C; `DistributedError`
    ///   when they do not join within `timeout`.
    static func start(_ count: Int, launch: WorkerLaunch, dataDirectory: URL, timeout: TimeInterval,
                      shouldStop: () -> Bool) throws -> WorkerPool {
        var attempt = 0
        while true {
            attempt += 1
            let port = try WorkerLaunch.freeLoopbackPort(), address = "127.0.0.1:\(port)"
            let environment = launch.workerEnvironment(timeout: timeout, session: getpid())
            var workers: [LocalWorker] = []
            do {
                for _ in 0..<count {
                    do {
                        workers.append(try LocalWorker(executable: launch.executable, joining: address, dataDirectory: dataDirectory,
                                                       environment: environment))
                    } catch {
                        throw ShellError("cannot start the worker program \(launch.executable.path): \(error)")
                    }
                }
                let parallel = try DataParallel.hostSession(address: "127.0.0.1", port: port, worldSize: count + 1, timeout: timeout,
                                                            waiting: timeout) {
                    if shouldStop() { throw ShellError("Ctrl-C: stopped starting the workers") }
                    if let ended = workers.first(where: { !$0.isRunning }) {
                        throw ShellError("the worker with process id \(ended.pid) \(ended.ending) before it joined the session")
                    }
                }
                return try WorkerPool(parallel: parallel, local: workers, address: address, timeout: timeout)
            } catch let error as DistributedError where attempt < 3 && error.message.contains("the port is in use") {
                for worker in workers { worker.stop(within: 0) }
            } catch {
                for worker in workers { worker.stop(within: 0) }
                throw error
            }
        }
    }

    /// Hosts this session's job on `host`:`port` and waits up to `waiting` seconds for `count` workers started by
    /// hand (`har worker --join HOST:PORT`).
    /// - Throws: `DistributedError` naming the port in use or how many joined in time; `ShellError` on Ctrl-C.
    static func listen(_ count: Int, host: String, port: Int, waiting: TimeInterval, timeout: TimeInterval, interface: String?,
                       shouldStop: () -> Bool) throws -> WorkerPool {
        let parallel = try DataParallel.hostSession(address: host, port: port, worldSize: count + 1, timeout: timeout,
                                                    interface: interface, waiting: waiting) {
            if shouldStop() { throw ShellError("Ctrl-C: stopped waiting for workers") }
        }
        return try WorkerPool(parallel: parallel, local: [], address: "\(host):\(port)", timeout: timeout)
    }

    /// The job that runs `command` on the workers in `session`'s state; `continuesTrainer` when the command trains
    /// the session's trainer (`train`), which the workers then take too if they do not mirror it yet.
    func job(for command: String, in session: Session, epochScale: Double, continuesTrainer: Bool) -> WorkerJob {
        let model = session.model.map { $0 as AnyObject }
        if model !== mirroredModel {
            generation += 1
            mirroredModel = model
            weightsInStep = false
        }
        var job = WorkerJob()
        job.dataset = session.dataset == nil ? nil : session.datasetSource
        job.model = session.model.map {
            WorkerJob.ModelPlan(name: $0.spec.name, options: $0.spec.options, input: $0.inputShape, generation: generation)
        }
        job.config = session.config
        job.augmentation = session.augmentation?.description
        if let trainer = session.trainer, trainer === mirroredTrainer {
            job.trainer = .kept
        } else {
            job.trainer = session.trainer != nil && continuesTrainer ? .sent : .fresh
        }
        job.epochScale = epochScale
        job.command = command
        return job
    }

    /// Posts `job` (with `trainer`'s state when the job says it is sent), waits until every worker has adopted its state (up to 120 s or `timeout` if longer: a first
    /// `load` may take a while), then tells them to run its command — or not, when one could not or Ctrl-C came.
    /// - Returns: the job's number, for `finish`.
    /// - Throws: `WorkerPoolFailure` when a worker ended or did not answer (the pool must stop); `ShellError` when a
    ///   worker could not adopt the state (the workers stay, and nobody runs the command) or on Ctrl-C.
    func dispatch(_ job: WorkerJob, trainer: Trainer?, shouldStop: () -> Bool) throws -> Int {
        var trainerBytes: Data?
        if job.trainer == .sent, let trainer {
            do { trainerBytes = try Checkpoint.bytes(of: trainer) } catch {
                throw ShellError("cannot send the model's trainer to the workers: \(error)")
            }
        }
        posted += 1
        let number = posted
        if let trainerBytes { try parallel.post("job/\(number)/trainer", trainerBytes) }
        try parallel.post("job/\(number)", try JSONEncoder().encode(job))
        try parallel.count("jobs", adding: 1)
        let ready = try gather("job/\(number)/ready", within: WorkerPool.readinessWait(timeout), shouldStop: shouldStop)
        let refusals = ready.replies.sorted { $0.key < $1.key }.compactMap { rank, reply in
            reply.error.map { "\(describe(rank)) cannot take this session's state: \($0)" }
        }
        let go = ready.missing.isEmpty && refusals.isEmpty && !ready.stopped
        try parallel.post("job/\(number)/go", Data([go ? 1 : 0]))
        try parallel.count("job/\(number)/decided", adding: 1)
        if !ready.missing.isEmpty { throw WorkerPoolFailure(problems: ready.missing) }
        if ready.stopped { throw ShellError("Ctrl-C: stopped before the workers began") }
        if !refusals.isEmpty { throw ShellError(refusals.joined(separator: "; ")) }
        return number
    }

    /// How long a session waits for every worker to adopt a job's state: 120 s, or the job timeout if longer (a first
    /// `load` may take a while).
    static func readinessWait(_ timeout: TimeInterval) -> TimeInterval { max(120, timeout) }

    /// Gathers how job `number` went on every worker, after it ran here and `failure` (nil: it succeeded); waits up
    /// to `timeout` + 5 s (a worker whose collective failed learns it within `timeout`), less when a local worker
    /// has ended.
    func finish(_ number: Int, failure: Error?) throws -> Outcome {
        let done = try gather("job/\(number)/done", within: timeout + 5, shouldStop: { false })
        let said = (failure as? ShellError)?.message ?? (failure as? any HARKitError)?.message
        let failed = done.replies.sorted { $0.key < $1.key }.compactMap { rank, reply in reply.error.map { (rank, $0) } }
        let problems = done.missing + failed.filter { $0.1 != said }.map { "\(describe($0.0)): \($0.1)" }
        let outOfStep = failure == nil ? !failed.isEmpty : failed.count < done.replies.count
        // A `train` cut short by a lost rank fails with what it kept (`ShellError.kept`): a distributed failure too.
        let distributed = failure is DistributedError || (failure as? ShellError)?.kept != nil
        return Outcome(problems: problems, mustStop: !done.missing.isEmpty || distributed || outOfStep)
    }

    /// Ends the workers: posts `quit`, waits up to `grace` seconds for each to say goodbye (or, started here, to end),
    /// then kills those started here that still run.
    func stop(grace: TimeInterval) {
        posted += 1
        let number = posted
        if (try? parallel.post("job/\(number)", try JSONEncoder().encode(WorkerJob.ending))) != nil {
            _ = try? parallel.count("jobs", adding: 1)
            _ = try? gather("job/\(number)/done", within: grace, shouldStop: { false })
        }
        for worker in local.values { worker.stop(within: grace) }
    }

    /// The replies posted under `key` by the workers within `seconds` (sooner when a worker started here has ended,
    /// or `shouldStop` says so), the workers that posted none, in words, and whether `shouldStop` ended the wait.
    private func gather(_ key: String, within seconds: TimeInterval,
                        shouldStop: () -> Bool) throws -> (replies: [Int: WorkerReply], missing: [String], stopped: Bool) {
        var replies: [Int: WorkerReply] = [:]
        let end = Date().addingTimeInterval(seconds)
        var stopped = false
        while true {
            for member in members where replies[member.rank] == nil {
                if try parallel.count("\(key)/\(member.rank)/posted") > 0 {
                    replies[member.rank] = try JSONDecoder().decode(WorkerReply.self, from: try parallel.message("\(key)/\(member.rank)"))
                }
            }
            let waiting = members.filter { replies[$0.rank] == nil }
            if waiting.isEmpty || waiting.contains(where: { local[$0.rank]?.isRunning == false }) || Date() >= end { break }
            if shouldStop() {
                stopped = true
                break
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        let missing = members.filter { replies[$0.rank] == nil && !stopped }.map { member -> String in
            if let worker = local[member.rank], !worker.isRunning { return "\(describe(member.rank)) \(worker.ending)" }
            return "\(describe(member.rank)) did not answer within \(String(format: "%g", seconds)) s"
        }
        return (replies, missing, stopped)
    }

    /// `worker 1 (process 1234 on this machine)`, `worker 2 (process 99 on node7)`.
    func describe(_ rank: Int) -> String {
        guard let member = members.first(where: { $0.rank == rank }) else { return "worker \(rank)" }
        return "worker \(rank) (process \(member.pid) on \(local[rank] != nil ? "this machine" : member.host))"
    }

    /// `2 workers on this machine (processes 1234, 1235) joined at 127.0.0.1:40123`.
    var summary: String {
        let processes = members.map { local[$0.rank] != nil ? "\($0.pid)" : "\($0.pid) on \($0.host)" }.joined(separator: ", ")
        return "\(counted(count, "worker"))\(areLocal ? " on this machine" : "") (process\(count == 1 ? "" : "es") \(processes)) joined at \(address)"
    }
}

/// The workers cannot go on with the session: one ended or stopped answering.
struct WorkerPoolFailure: Error {
    /// What happened to which worker, one phrase each.
    var problems: [String]
}

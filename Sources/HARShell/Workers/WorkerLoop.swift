import Foundation
import HARKit

/// The life of `har worker --join HOST:PORT` after joining its session: it waits for each job the session posts,
/// makes its own session match the job's state (`adopt`), tells the session whether it could, runs the command
/// through its interpreter when the session says so — the same command code as the session's, with the
/// interpreter's `dataParallel` set, as a rank of an env-launched job runs it — and sends back how it went.
///
/// It polls the session's store every 50 ms between jobs: when the store is gone (the session quit, crashed or was
/// killed) the next poll fails at once, or within `HARLAB_DIST_TIMEOUT` when the session's machine stopped
/// answering, and the worker ends.
final class WorkerLoop {
    private let interpreter: Interpreter
    private let sink: WorkerSink
    private let parallel: DataParallel
    private let isInterrupted: () -> Bool
    /// How many of the session's jobs this worker has taken.
    private var taken = 0
    /// The `load` whose dataset is this worker's current one.
    private var dataset: DatasetSource?
    /// The session's model generation this worker's model was built for (0: none).
    private var generation = 0

    /// A loop for the worker `interpreter` (whose output is `sink`), rank `parallel.rank` of its session's job.
    init(interpreter: Interpreter, sink: WorkerSink, parallel: DataParallel, isInterrupted: @escaping () -> Bool) {
        self.interpreter = interpreter
        self.sink = sink
        self.parallel = parallel
        self.isInterrupted = isInterrupted
    }

    /// Runs jobs until the session says quit (status 0), its store is gone (1) or the worker is interrupted (130).
    func run() -> Int32 {
        do {
            let member = WorkerPool.Member(rank: parallel.rank, pid: getpid(), host: WorkerLoop.hostName)
            try parallel.post("worker/\(parallel.rank)", try JSONEncoder().encode(member))
        } catch {
            TerminalSink.standardError("har worker: the session is gone (\(error))\n")
            return ShellProgram.ExitStatus.failure
        }
        while true {
            if isInterrupted() { return ShellProgram.ExitStatus.interrupted }
            do {
                guard try parallel.count("jobs") > taken else {
                    Thread.sleep(forTimeInterval: 0.05)
                    continue
                }
                taken += 1
                let job = try JSONDecoder().decode(WorkerJob.self, from: try parallel.message("job/\(taken)"))
                if job.quit {
                    try answer("job/\(taken)/done", WorkerReply())
                    return ShellProgram.ExitStatus.success
                }
                try run(job, number: taken)
            } catch {
                TerminalSink.standardError("har worker: the session is gone (\(error))\n")
                return ShellProgram.ExitStatus.failure
            }
        }
    }

    /// Takes job `number`: adopts its state, says whether that worked, and runs the command when the session says so.
    private func run(_ job: WorkerJob, number: Int) throws {
        var ready = WorkerReply()
        do { try adopt(job, number: number) } catch {
            ready.error = (error as? any HARKitError)?.message ?? (error as? ShellError)?.message ?? "\(error)"
        }
        try answer("job/\(number)/ready", ready)
        try parallel.count("job/\(number)/readied", adding: 1)
        guard try decision(on: number, command: job.command) else { return }
        sink.clear()
        let outcome = interpreter.execute(job.command)
        let failure = sink.errors.isEmpty ? "'\(job.command)' failed" : sink.errors.joined(separator: "; ")
        try answer("job/\(number)/done", WorkerReply(error: outcome == .failure ? failure : nil))
    }

    /// Waits for the session's word whether job `number` (`command`) runs: true to run it; false when the session said
    /// not to, or moved on to a newer job (its dispatch failed after posting this one, and it then stops its workers
    /// with a `quit` job, which the worker takes next).
    /// - Throws: `DistributedError` when the store is gone, or when no word came within the job timeout of every
    ///   worker being ready (the session decides as soon as all are), or within the session's readiness wait plus
    ///   the timeout of this worker being ready when another never got ready.
    private func decision(on number: Int, command: String) throws -> Bool {
        let timeout = parallel.launch.timeout
        var bound = WorkerPool.readinessWait(timeout) + timeout
        var deadline = Date().addingTimeInterval(bound)
        var everyoneReady = false
        while try parallel.count("job/\(number)/decided") == 0 {
            if try parallel.count("jobs") > number { return false }
            if !everyoneReady, try parallel.count("job/\(number)/readied") >= parallel.worldSize - 1 {
                everyoneReady = true
                bound = timeout
                deadline = min(deadline, Date().addingTimeInterval(timeout))
            }
            guard Date() < deadline else {
                throw DistributedError("the session did not say within \(String(format: "%g", bound)) s whether to run job \(number) (\(command))")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return try parallel.message("job/\(number)/go") == Data([1])
    }

    /// Posts `reply` as this rank's answer under `key`, then marks it posted (the session polls the mark).
    private func answer(_ key: String, _ reply: WorkerReply) throws {
        try parallel.post("\(key)/\(parallel.rank)", try JSONEncoder().encode(reply))
        try parallel.count("\(key)/\(parallel.rank)/posted", adding: 1)
    }

    /// Makes this worker's session the job's: its settings (`threads` included, applied here; no TensorBoard log), the
    /// dataset and model when they changed, the trainer as the job says (kept, dropped, or the session's taken),
    /// the augmentation and the epoch scale.
    /// - Throws: what loading the dataset, building the model or taking the trainer threw.
    private func adopt(_ job: WorkerJob, number: Int) throws {
        var config = job.config
        config.tensorBoardDirectory = nil
        let threadsChanged = config.threads != interpreter.session.config.threads
        interpreter.session.config = config
        // As every rank of an env-launched job runs the same `set threads`; `auto` divides this machine's CPUs.
        if threadsChanged { try interpreter.applyThreadSetting() }
        interpreter.epochScale = job.epochScale
        if job.dataset != dataset || (job.dataset != nil && interpreter.session.dataset == nil) {
            dataset = nil
            interpreter.session.dataset = nil
            interpreter.session.trainer = nil
            interpreter.session.lastEvaluation = nil
            if let source = job.dataset {
                interpreter.session.dataset = try DatasetCatalog.load(source.name, from: source.path.map { URL(fileURLWithPath: $0) },
                                                                      options: source.options, dataDirectory: interpreter.dataDirectory)
            }
            dataset = job.dataset
        }
        if job.model?.generation != generation || interpreter.session.model == nil && job.model != nil {
            generation = 0
            interpreter.session.dropModel()
            if let plan = job.model {
                let built = try ModelFactory.make(try plan.spec(), input: plan.input, seed: config.seed)
                interpreter.session.model = built
                interpreter.session.builtModel = ObjectIdentifier(built)
                generation = plan.generation
            }
        }
        interpreter.session.augmentation = try job.augmentation.map { try AugmentationPipeline(parsing: $0) }
        switch job.trainer {
        case .kept: break
        case .fresh: interpreter.session.trainer = nil
        case .sent:
            interpreter.session.trainer = nil
            if let dataset = interpreter.session.dataset {
                let trainer = try Checkpoint.trainer(from: try parallel.message("job/\(number)/trainer"), dataset: dataset,
                                                         augmentation: interpreter.session.augmentation)
                interpreter.session.model = trainer.model
                interpreter.session.trainer = trainer
            }
        }
        try interpreter.session.trainer?.apply(config)
        interpreter.session.trainer?.augmentation = interpreter.session.augmentation
    }

    /// This machine's name, as `gethostname` gives it.
    static var hostName: String {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return "an unnamed machine" }
        return String(cString: name)
    }
}

import Foundation
import HARKit

/// A session with workers (`set workers N`): starting and stopping them, and running the commands they share on
/// every rank at once.
extension Interpreter {
    /// `set workers N [listen=HOST:PORT|PORT] [wait=SECONDS]`: makes this session rank 0 of an N-rank job, with
    /// N − 1 workers started here on loopback, or (`listen=`) waited for from other machines; `set workers 1` ends them.
    func setWorkers(_ arguments: Arguments) throws -> SetCommand.Change {
        let valueArgument = try arguments.required(1, "VALUE for workers (the ranks, this session included: 1 for none)")
        let text = valueArgument.value.lowercased()
        guard let count = text == "default" ? 1 : ConfigKey.exactInteger(valueArgument.value), (1...256).contains(count) else {
            throw ShellError("invalid value '\(valueArgument.value)' for workers: expected an integer in 1...256 "
                             + "(the ranks, this session included: 1 for none)", at: valueArgument.offset)
        }
        let listen = arguments.option("listen"), wait = arguments.option("wait")
        if count == 1, let word = listen ?? wait {
            throw ShellError("\(word.key ?? "")= goes with 2 or more workers", at: word.offset)
        }
        if listen == nil, let wait {
            throw ShellError("wait= goes with listen=: workers started here join within HARLAB_DIST_TIMEOUT", at: wait.offset)
        }
        if let dataParallel, workers == nil {
            throw ShellError("this har is rank \(dataParallel.rank) of a job its environment launched (MASTER_ADDR, …): "
                             + "it cannot have workers of its own", at: valueArgument.offset)
        }
        let endpoint = try listen.map { try Self.endpoint($0) }
        let timeout = try WorkerLaunch.timeout(workerLaunch?.environment ?? [:])
        let previous = "\(workers.map { $0.count + 1 } ?? 1)"
        stopWorkers()
        workersStopped = nil
        if count > 1 {
            let pool: WorkerPool
            if let endpoint {
                let waiting = wait.flatMap { Double($0.value) } ?? 120
                output.text("waiting up to \(String(format: "%g", waiting)) s for \(counted(count - 1, "worker")): "
                            + "run `har worker --join \(endpoint.joining):\(endpoint.port)` on each machine — Ctrl-C stops waiting")
                pool = try WorkerPool.listen(count - 1, host: endpoint.host, port: endpoint.port, waiting: waiting, timeout: timeout,
                                             interface: workerLaunch?.environment["GLOO_SOCKET_IFNAME"], shouldStop: shouldStop)
            } else {
                guard let workerLaunch else {
                    throw ShellError("this interpreter is not the har program and cannot start workers: use listen=HOST:PORT and "
                                     + "start `har worker --join HOST:PORT` by hand", at: valueArgument.offset)
                }
                pool = try WorkerPool.start(count - 1, launch: workerLaunch, dataDirectory: dataDirectory, timeout: timeout,
                                            shouldStop: shouldStop)
            }
            workers = pool
            dataParallel = pool.parallel
        }
        var change = SetCommand.Change(key: "workers", value: "\(count)", previous: previous)
        if threadBudget != nil { change.threads = (try applyThreadSetting(), ThreadBudget.automatic()) }
        change.note = workers.map { "this session is rank 0 of \(count): \($0.summary)" }
            ?? "no workers: commands run in this session alone"
        return change
    }

    /// Ends this session's workers, if any (`set workers`, the end of `har`): each is told to quit and given `grace`
    /// seconds; those started here that still run are then killed. The session computes alone again.
    public func stopWorkers(grace: TimeInterval = 3) {
        guard let pool = workers else { return }
        pool.stop(grace: grace)
        workers = nil
        dataParallel = nil
        if threadBudget != nil { _ = try? applyThreadSetting() }
    }

    /// Runs one command (`body`) here and, when this session has workers and the command's `sharing` says so, on every
    /// worker at the same time (a command that runs here alone does so with no job: `dataParallel` is nil meanwhile, so
    /// that nothing in it waits for the workers; a command that runs commands, `run FILE`, keeps the job, and each of its
    /// commands comes here in turn): the workers first adopt the session's state (a worker that cannot fails the command
    /// before anything runs), then all ranks run it, then the session gathers how it went on each and records what
    /// it left in the workers' models. A worker that failed or vanished is reported here; when the ranks may be out of
    /// step (a worker gone or silent, a collective that failed, ranks that disagree on success) the session stops its
    /// workers and says so.
    func onWorkers(_ sharing: WorkerSharing, _ arguments: Arguments, _ body: () throws -> Void) throws {
        guard let pool = workers else { return try body() }
        let leaves: WorkerWeights
        switch sharing {
        case .byItsCommands:
            return try body()
        case .everyRank(let weights):
            leaves = weights
        case .everyRankWhileWeightsInStep where pool.weightsInStep && session.model.map({ $0 as AnyObject }) === pool.mirroredModelObject:
            leaves = .untouched
        case .alone, .everyRankWhileWeightsInStep:
            // It runs here alone, with no job to meet (an `eval` would wait for the workers).
            // (`set workers` itself replaces or ends the job: then there is nothing to put back.)
            let job = dataParallel
            dataParallel = nil
            defer { if workers === pool { dataParallel = job } }
            return try body()
        }
        if session.dataset != nil, session.datasetSource == nil {
            throw ShellError("the workers cannot load the current dataset (it did not come from `load`): `load` it first",
                             at: arguments.command.offset)
        }
        if leaves == .trainedInStep, let trainer = session.trainer, trainer !== pool.mirroredTrainer, trainer.scheduleEpochsDone != nil,
           (try? TrainCommand.countAndContinuation(arguments))?.continuing == true {
            throw ShellError("`continue` cannot go on with a learning-rate schedule begun without these workers: "
                             + "`train N` starts the schedule afresh on every rank", at: arguments.command.offset)
        }
        let number: Int
        do {
            let job = pool.job(for: arguments.command.written, in: session, epochScale: epochScale, continuesTrainer: leaves == .trainedInStep)
            number = try pool.dispatch(job, trainer: session.trainer, shouldStop: shouldStop)
        } catch let error as ShellError {
            throw ShellError(error.message, at: arguments.command.offset)
        } catch {
            let problems = (error as? WorkerPoolFailure)?.problems.joined(separator: "; ") ?? "\(error)"
            stopWorkers(grace: 0, because: problems, pool: pool)
            throw ShellError(problems + "; " + Self.restartAdvice(pool), at: arguments.command.offset)
        }
        let modelBefore = session.model.map { $0 as AnyObject }
        var failure: Error?
        do { try body() } catch { failure = error }
        let outcome: WorkerPool.Outcome
        do { outcome = try pool.finish(number, failure: failure) } catch {
            outcome = WorkerPool.Outcome(problems: ["the workers' answers could not be read: \(error)"], mustStop: true)
        }
        if outcome.mustStop {
            stopWorkers(grace: 0, because: outcome.problems.isEmpty ? "`\(arguments.command.name)` failed on the ranks" : outcome.problems.joined(separator: "; "),
                        pool: pool)
        } else if failure == nil, leaves == .trainedInStep
                    || leaves == .replacedWhenKept && session.model.map({ $0 as AnyObject }) !== modelBefore {
            pool.mirror(session)
        }
        let said = (outcome.problems + (outcome.mustStop ? [Self.restartAdvice(pool)] : [])).joined(separator: "; ")
        if let failure {
            guard !said.isEmpty else { throw failure }
            // The same error (its position, and what a `train` cut short kept) saying what happened on the workers.
            var shell = failure as? ShellError ?? ShellError((failure as? any HARKitError)?.message ?? "\(failure)")
            shell.message += "; " + said
            if let kept = shell.kept { recordCause(shell.message, ofRun: kept.run) }
            throw shell
        }
        if !said.isEmpty { output.warning(said) }
    }

    /// Makes `message`, which names the lost worker, the reason the store gives for session run `id`'s failed end
    /// (its recorder ended it with the collective's failure, before the workers' answers named the worker).
    private func recordCause(_ message: String, ofRun id: Int) {
        guard let runStore, let run = session.runs.first(where: { $0.id == id }), let storeID = run.storeID else { return }
        do {
            try runStore.finish(storeID, RunEnd(status: .failed, message: message, trainSeconds: run.trainSeconds))
        } catch {
            output.warning("run \(id) is recorded without the worker that failed: \(error)")
        }
    }

    /// Stops the workers after a command failed on them, remembering why for `status` (`workersStopped`) until the
    /// next `set workers`.
    private func stopWorkers(grace: TimeInterval, because problems: String, pool: WorkerPool) {
        stopWorkers(grace: grace)
        workersStopped = "stopped after a failure (\(problems)) — " + Self.restarting(pool)
    }

    /// That the session stopped its workers, and what to type to get them back.
    private static func restartAdvice(_ pool: WorkerPool) -> String { "the workers are stopped — " + restarting(pool) }

    /// What to type to get the workers back after the session stopped them.
    private static func restarting(_ pool: WorkerPool) -> String {
        "`set workers \(pool.count + 1)\(pool.areLocal ? "" : " listen=…")` starts them again"
    }

    /// Where `listen=` hosts the job: `HOST:PORT`, or `PORT` alone (every address of this machine; workers join it by
    /// this machine's name).
    private static func endpoint(_ option: Argument) throws -> (host: String, joining: String, port: Int) {
        let text = option.value
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2, let port = Int(parts.last ?? ""), (1...65_535).contains(port), parts.count == 1 || !parts[0].isEmpty else {
            throw ShellError("invalid value '\(text)' for listen: expected HOST:PORT or PORT (a port in 1...65535)", at: option.offset)
        }
        let host = parts.count == 2 ? parts[0] : WorkerLoop.hostName
        return (host, host == "0.0.0.0" ? WorkerLoop.hostName : host, port)
    }
}

import Foundation
import Torch

extension Tuner {
    /// What the rank that owns a trial tells every rank after training it for one rung.
    struct RungReport: Codable {
        /// The epochs the rung trained.
        var records: [EpochRecord]
        /// Why the rung's training ended.
        var reason: StopReason
        /// Why the trial's model or trainer could not be built (first rung only); nil when it was.
        var buildFailure: String?
    }

    /// The search of `search(_:dataset:input:recording:whole:progress:events:shouldStop:)` shared out between the
    /// ranks of `job`: trial t lives on rank (t − 1) mod N for the whole search (its model and optimizer stay
    /// where they are), which trains it alone, single-process, rung after rung. Each rung is synchronised: every rank
    /// receives every surviving trial's epochs of the rung, in trial order, before any promotion, so every rank prunes
    /// the same trials from the same scores; each records what it receives (only rank 0's `recording` has a store).
    /// At the end the best trial's trainer (weights, optimizer state and history, as a checkpoint through the store)
    /// reaches every rank, so the session of every rank continues with it. Which rank trains which trial does not
    /// change its scores, given the same libtorch thread count on every rank.
    /// - Throws: `DistributedError` when a rank died or the store stopped answering; an error a trial's training threw.
    func searchAcrossRanks(_ sampled: [TuningTrial], dataset: HARDataset, input: InputShape, recording: RunRecording, whole: RunRecorder,
                           job: DataParallel, progress: ((TuningTrial) -> Void)?, events: ((_ trial: Int, TrainingEvent) -> Void)?,
                           shouldStop: @escaping () -> Bool) throws -> TuningResult {
        var all = sampled
        let recorders = all.indices.map { i in
            recording.begin(RunStart(dataset: dataset, model: all[i].spec, config: all[i].config,
                                     label: "tune trial \(all[i].index)/\(trials): \(all[i].settingsText)", kind: .trial, groupID: whole.runID))
        }
        for i in all.indices { all[i].runID = recorders[i].runID }
        let farm = try JobFarm(job: job, what: "the search")
        let stopping = farm.stopping(shouldStop)
        var trainers: [Int: Trainer] = [:]
        var alive = Array(all.indices), trained = 0, cancelled = false
        let budgets = rungs
        do {
            for (rung, budget) in budgets.enumerated() {
                try farm.run(round: rung, tasks: alive, sticky: true, body: { i -> RungReport in
                    if trainers[i] == nil {
                        do {
                            Runtime.manualSeed(all[i].config.seed)
                            trainers[i] = try Trainer(model: try ModelFactory.make(all[i].spec, input: input), dataset: dataset, config: all[i].config)
                        } catch {
                            return RungReport(records: [], reason: .completed, buildFailure: "\(error)")
                        }
                    }
                    guard !stopping() else {
                        try farm.checkPeers(force: true)
                        return RungReport(records: [], reason: .cancelled)
                    }
                    let trial = all[i].index
                    // Trained unrecorded here: every rank records the rung's epochs when it collects them.
                    let outcome = try trainers[i]!.train(epochs: budget - trained, events: events.map { events in { events(trial, $0) } },
                                                         shouldStop: stopping)
                    try farm.checkPeers(force: true)
                    if outcome.reason == .cancelled { try farm.requestStop() }
                    return RungReport(records: outcome.records, reason: outcome.reason)
                }, collect: { i, report in
                    if let failure = report.buildFailure {
                        all[i].status = .failed(failure)
                        recorders[i].end(RunEnd(status: .failed, message: failure, trainSeconds: 0))
                        return
                    }
                    for record in report.records { recorders[i].epochFinished(record) }
                    all[i].history += report.records
                    all[i].score = all[i].history.compactMap(\.validationMacroF1).max() ?? .nan
                    switch report.reason {
                    case .cancelled:
                        cancelled = true
                        return
                    case .diverged(let message):
                        all[i].status = .failed(message)
                        recorders[i].end(RunEnd(after: report.reason, trainSeconds: recorders[i].trainSeconds))
                    case .completed, .earlyStopped:
                        if rung == budgets.count - 1 { all[i].status = .finished }
                    }
                    progress?(all[i])
                })
                alive = alive.filter { all[$0].status == .running || all[$0].status == .finished }
                if cancelled { break }
                trained = budget
                guard rung < budgets.count - 1 else { break }
                alive = promote(alive, of: &all, afterEpochs: trained, recorders: recorders, progress: progress)
                trainers = trainers.filter { alive.contains($0.key) }
            }
            let result = try conclude(&all, alive: alive, cancelled: cancelled, dataset: dataset, recorders: recorders, whole: whole) { best in
                try bestTrainer(best, of: trainers, dataset: dataset, farm: farm, round: budgets.count)
            }
            try farm.finish()
            return result
        } catch {
            farm.abandon()
            throw error
        }
    }

    /// The trainer of trial `best` on every rank: its own on the rank that trained it, which sends it to the others
    /// as a checkpoint (weights, optimizer state, settings, history) through the job's store.
    private func bestTrainer(_ best: Int, of trainers: [Int: Trainer], dataset: HARDataset, farm: JobFarm, round: Int) throws -> Trainer {
        var received: Trainer?
        try farm.run(round: round, tasks: [best], sticky: true, body: { i -> Data in
            try Checkpoint.bytes(of: trainers[i]!)
        }, collect: { i, bytes in
            received = try trainers[i] ?? Checkpoint.trainer(from: bytes, dataset: dataset)
        })
        return received!
    }
}

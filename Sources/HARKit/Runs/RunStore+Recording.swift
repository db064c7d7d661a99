import Foundation
import GRDB

extension RunStore {
    /// Records the start of a run (status `running`) and returns its id.
    /// - Throws: `RunStoreError` when the store is locked beyond the busy timeout or cannot be written.
    @discardableResult
    public func begin(_ start: RunStart) throws -> Int64 {
        try write("record a run in") { db in try insert(start, into: db) }
    }

    /// Records one finished epoch of run `run`.
    /// - Throws: `RunStoreError` for an unknown run id or an epoch number the run already has.
    public func append(_ epoch: EpochRecord, to run: Int64) throws {
        try write("record an epoch in") { db in
            try requireRun(run, in: db)
            try insert(epoch, of: run, into: db)
        }
    }

    /// Records how run `run` ended.
    /// - Throws: `RunStoreError` for an unknown run id.
    public func finish(_ run: Int64, _ end: RunEnd) throws {
        try write("record the end of a run in") { db in
            try requireRun(run, in: db)
            try update(run, with: end, in: db)
        }
    }

    /// Marks run `run` as running again, owned by this process, for a `train` that continues it (so a process killed
    /// during that training leaves it `interrupted`, not with the status of its previous `train`). When `settings`
    /// train differently from the run's latest, they join its settings history, and its configuration and
    /// augmentation become theirs.
    /// - Throws: `RunStoreError` for an unknown run id.
    public func resume(_ run: Int64, with settings: RunSettings? = nil) throws {
        try write("record the continuation of a run in") { db in
            try requireRun(run, in: db)
            let owner = RunOwner.current
            try db.execute(sql: """
                UPDATE runs SET status = ?, message = NULL, ended_at = NULL, owner_host = ?, owner_boot = ?, owner_pid = ?,
                                owner_start = ?
                WHERE id = ?
                """, arguments: [RunStatus.running.rawValue, owner.host, owner.bootID, Int64(owner.pid), owner.startTicks, run])
            guard let settings else { return }
            var history = try settingsHistory(of: run, in: db)
            if let latest = history.last, latest.trainsLike(settings) { return }
            history.append(settings)
            try db.execute(sql: "UPDATE runs SET settings = ?, config = ?, seed = ?, augmentation = ? WHERE id = ?",
                           arguments: [try RunJSON.text(history), try RunJSON.text(settings.config),
                                       Int64(bitPattern: settings.config.seed), settings.augmentation, run])
        }
    }

    /// Records the spread of group result `run` over its members (a cross-validation's folds, repeated seeds): its
    /// accuracy, precision, recall and F1 columns hold the members' means, so it ranks by them.
    /// - Throws: `RunStoreError` for an unknown run id.
    public func setSpread(of run: Int64, _ spread: ResultSpread) throws {
        try write("record a result's spread in") { db in
            try requireRun(run, in: db)
            try db.execute(sql: """
                UPDATE runs SET spread = ?, accuracy = ?, accuracy_std = ?, f1_macro = ?, f1_macro_std = ?, precision_macro = ?,
                                recall_macro = ?
                WHERE id = ?
                """, arguments: [try RunJSON.text(spread), spread.accuracyMean, spread.accuracyStd, spread.f1MacroMean,
                                 spread.f1MacroStd, spread.precisionMacroMean, spread.recallMacroMean, run])
        }
    }

    /// Sets (or, with nil, clears) the label of run `run`.
    /// - Throws: `RunStoreError` for an unknown run id.
    public func setLabel(of run: Int64, to label: String?) throws {
        try write("label a run in") { db in
            try requireRun(run, in: db)
            try db.execute(sql: "UPDATE runs SET label = ? WHERE id = ?", arguments: [label, run])
        }
    }

    /// The settings history of `run` (one entry made from its configuration for a run recorded before histories).
    private func settingsHistory(of run: Int64, in db: Database) throws -> [RunSettings] {
        let row = try Row.fetchOne(db, sql: "SELECT config, augmentation, settings FROM runs WHERE id = ?", arguments: [run])
        if let text: String = row?["settings"] {
            return try RunJSON.value([RunSettings].self, from: text, what: "run \(run)'s settings")
        }
        let config = try RunJSON.value(TrainingConfig.self, from: row?["config"] ?? "{}", what: "run \(run)'s config")
        return [RunSettings(fromEpoch: 1, config: config, augmentation: row?["augmentation"])]
    }

    /// Records the test metrics of run `run` and, when measured, its inference timing.
    /// - Throws: `RunStoreError` for an unknown run id.
    public func setEvaluation(of run: Int64, metrics: ClassificationMetrics, inference: InferenceTiming? = nil) throws {
        try write("record an evaluation in") { db in
            try requireRun(run, in: db)
            try update(run, metrics: metrics, inference: inference, in: db)
        }
    }

    /// Records where run `run`'s checkpoint was saved.
    /// - Throws: `RunStoreError` for an unknown run id.
    public func setCheckpoint(of run: Int64, path: String) throws {
        try write("record a checkpoint in") { db in
            try requireRun(run, in: db)
            try db.execute(sql: "UPDATE runs SET checkpoint_path = ? WHERE id = ?", arguments: [path, run])
        }
    }

    /// Records a whole run at once (start, epochs, end, evaluation) in one transaction and returns its id.
    /// - Throws: `RunStoreError`; nothing is recorded then.
    @discardableResult
    public func record(_ start: RunStart, epochs: [EpochRecord], end: RunEnd, metrics: ClassificationMetrics? = nil,
                       inference: InferenceTiming? = nil, checkpointPath: String? = nil) throws -> Int64 {
        try write("record a run in") { db in
            let id = try insert(start, into: db)
            for epoch in epochs { try insert(epoch, of: id, into: db) }
            try update(id, with: end, in: db)
            if let metrics { try update(id, metrics: metrics, inference: inference, in: db) }
            if let checkpointPath {
                try db.execute(sql: "UPDATE runs SET checkpoint_path = ? WHERE id = ?", arguments: [checkpointPath, id])
            }
            return id
        }
    }

    /// Deletes runs and their epochs.
    /// - Throws: `RunStoreError` naming the ids that are not in the store; nothing is deleted then.
    public func delete(_ runs: [Int64]) throws {
        try write("delete runs from") { db in
            for id in runs { try requireRun(id, in: db) }
            for id in runs { try db.execute(sql: "DELETE FROM runs WHERE id = ?", arguments: [id]) }
        }
    }

    private func insert(_ start: RunStart, into db: Database) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO runs (dataset, protocol, model, config, seed, versions, host, label, started_at, status,
                              owner_host, owner_boot, owner_pid, owner_start, kind, group_id, augmentation, settings, train_precision,
                              source_run, source_checkpoint)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [start.dataset, start.datasetProtocol, start.model, try RunJSON.text(start.config),
                             Int64(bitPattern: start.config.seed), try RunJSON.text(start.versions), start.host,
                             start.label, start.startedAt, RunStatus.running.rawValue,
                             RunOwner.current.host, RunOwner.current.bootID, Int64(RunOwner.current.pid),
                             RunOwner.current.startTicks, start.kind.rawValue, start.groupID, start.augmentation,
                             try RunJSON.text([RunSettings(fromEpoch: 1, config: start.config, augmentation: start.augmentation)]),
                             start.precision.rawValue, start.source?.run, start.source?.checkpoint])
        return db.lastInsertedRowID
    }

    private func insert(_ epoch: EpochRecord, of run: Int64, into db: Database) throws {
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM epochs WHERE run_id = ? AND epoch = ?", arguments: [run, epoch.epoch]) == true {
            throw RunStoreError("run \(run) already has epoch \(epoch.epoch) in run store '\(url.path)'")
        }
        try db.execute(sql: """
            INSERT INTO epochs (run_id, epoch, train_loss, penalty_loss, train_accuracy, validation_loss,
                                validation_accuracy, validation_macro_f1, learning_rate, seconds, windows_per_second)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [run, epoch.epoch, epoch.trainLoss, epoch.penaltyLoss, epoch.trainAccuracy, epoch.validationLoss,
                             epoch.validationAccuracy, epoch.validationMacroF1, epoch.learningRate, epoch.seconds,
                             epoch.windowsPerSecond])
    }

    private func update(_ run: Int64, with end: RunEnd, in db: Database) throws {
        try db.execute(sql: "UPDATE runs SET status = ?, message = ?, train_seconds = ?, ended_at = ? WHERE id = ?",
                       arguments: [end.status.rawValue, end.message, end.trainSeconds, end.endedAt, run])
    }

    private func update(_ run: Int64, metrics: ClassificationMetrics, inference: InferenceTiming?, in db: Database) throws {
        try db.execute(sql: """
            UPDATE runs SET test_metrics = ?, accuracy = ?, precision_macro = ?, recall_macro = ?, f1_macro = ?, f1_weighted = ?,
                            inference = ?, latency_ms_p50 = ?, latency_ms_p95 = ?, throughput = ?
            WHERE id = ?
            """, arguments: [try RunJSON.text(metrics), metrics.accuracy, metrics.precisionMacro, metrics.recallMacro,
                             metrics.f1Macro, metrics.f1Weighted, try inference.map { try RunJSON.text($0) },
                             inference?.latencyP50, inference?.latencyP95, inference?.throughput, run])
    }

    /// Throws when `run` is not in the store.
    func requireRun(_ run: Int64, in db: Database) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM runs WHERE id = ?", arguments: [run]) == true else {
            throw try unknownRuns([run], in: db)
        }
    }

    /// The error for ids that are not in the store, saying which ids are.
    func unknownRuns(_ ids: [Int64], in db: Database) throws -> RunStoreError {
        let range = try Row.fetchOne(db, sql: "SELECT MIN(id) AS low, MAX(id) AS high, COUNT(*) AS n FROM runs")
        let count: Int = range?["n"] ?? 0
        let known = count == 0 ? "the store has no runs" : "it has \(counted(count, "run")), ids \(range!["low"] as Int64)…\(range!["high"] as Int64)"
        let list = ids.map(String.init).joined(separator: ", ")
        return RunStoreError("no \(ids.count == 1 ? "run" : "runs") \(list) in run store '\(url.path)' (\(known))")
    }
}

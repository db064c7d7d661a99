import Foundation
import GRDB

/// Which test figure decides the best run of a dataset × model.
public enum RunRanking: String, Sendable, CaseIterable {
    /// Test accuracy, then macro F1.
    case accuracy
    /// Test macro F1, then accuracy.
    case f1Macro = "f1"

    var orderSQL: String {
        switch self {
        case .accuracy: return "accuracy DESC, f1_macro DESC, id"
        case .f1Macro: return "f1_macro DESC, accuracy DESC, id"
        }
    }
}

extension RunStore {
    private static let selectRuns = """
        SELECT runs.*,
               (SELECT COUNT(*) FROM epochs WHERE run_id = runs.id) AS epoch_count,
               (SELECT train_loss FROM epochs WHERE run_id = runs.id ORDER BY epoch DESC LIMIT 1) AS final_train_loss,
               (SELECT SUM(seconds) FROM epochs WHERE run_id = runs.id) AS epoch_seconds
        FROM runs
        """

    /// Every run, oldest first (runs of processes that died while recording them are marked `interrupted` first).
    public func runs() throws -> [RunRecord] {
        _ = try? markInterruptedRuns()
        return try read("read") { db in
            try Row.fetchAll(db, sql: RunStore.selectRuns + " ORDER BY id").map(RunStore.record)
        }
    }

    /// The runs with `ids`, in that order (side by side).
    /// - Throws: `RunStoreError` naming every id that is not in the store.
    public func runs(_ ids: [Int64]) throws -> [RunRecord] {
        guard !ids.isEmpty else { return [] }
        return try read("read") { db in
            let found = try Row.fetchAll(db, sql: RunStore.selectRuns + " WHERE id IN (\(ids.map { _ in "?" }.joined(separator: ",")))",
                                         arguments: StatementArguments(ids)).map(RunStore.record)
            let byId = Dictionary(found.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            let missing = ids.filter { byId[$0] == nil }
            if !missing.isEmpty { throw try unknownRuns(missing, in: db) }
            return ids.map { byId[$0]! }
        }
    }

    /// The run with `id`.
    /// - Throws: `RunStoreError` when there is none.
    public func run(_ id: Int64) throws -> RunRecord { try runs([id])[0] }

    /// The id of the latest run, if any.
    public func latestRunID() throws -> Int64? {
        try read("read") { db in try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM runs") }
    }

    /// The epochs of run `id` in order.
    /// - Throws: `RunStoreError` when there is no such run.
    public func epochs(of id: Int64) throws -> [EpochRecord] {
        try read("read") { db in
            try requireRun(id, in: db)
            return try Row.fetchAll(db, sql: "SELECT * FROM epochs WHERE run_id = ? ORDER BY epoch", arguments: [id]).map(RunStore.epoch)
        }
    }

    /// The members of group result `id` (a cross-validation's folds, a search's trials, repeated seeds), oldest first.
    /// - Throws: `RunStoreError` when there is no such run.
    public func members(of id: Int64) throws -> [RunRecord] {
        try read("read") { db in
            try requireRun(id, in: db)
            return try Row.fetchAll(db, sql: RunStore.selectRuns + " WHERE group_id = ? ORDER BY id", arguments: [id]).map(RunStore.record)
        }
    }

    /// The latest run whose checkpoint was saved at `path`, if any (a loaded checkpoint's run).
    public func run(checkpointPath path: String) throws -> RunRecord? {
        try read("read") { db in
            try Row.fetchOne(db, sql: RunStore.selectRuns + " WHERE checkpoint_path = ? ORDER BY id DESC LIMIT 1", arguments: [path])
                .map(RunStore.record)
        }
    }

    /// The best evaluated whole result of each dataset × model, ordered by dataset then model: held-out runs,
    /// cross-validations (by their mean), searches (by their best trial's test figures) and repeated seeds (by their
    /// mean); never a fold, a trial or a single seed of a group.
    public func bestRuns(by ranking: RunRanking = .accuracy) throws -> [RunRecord] {
        try read("read") { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM (
                    SELECT ranked.*, ROW_NUMBER() OVER (PARTITION BY dataset, model ORDER BY \(ranking.orderSQL)) AS place
                    FROM (\(RunStore.selectRuns) WHERE accuracy IS NOT NULL AND kind IN (\(RunStore.wholeKinds))) AS ranked
                ) WHERE place = 1 ORDER BY dataset, model
                """).map(RunStore.record)
        }
    }

    /// The kinds of whole results, as an SQL list.
    private static let wholeKinds = RunKind.allCases.filter(\.isWholeResult).map { "'\($0.rawValue)'" }.joined(separator: ", ")

    private static func record(_ row: Row) throws -> RunRecord {
        let id: Int64 = row["id"]
        func json<T: Decodable>(_ column: String, _ type: T.Type) throws -> T? {
            guard let text: String = row[column] else { return nil }
            return try RunJSON.value(type, from: text, what: "run \(id)'s \(column)")
        }
        let endedAt: Date? = row["ended_at"]
        let config = try json("config", TrainingConfig.self) ?? TrainingConfig()
        let augmentation: String? = row["augmentation"]
        return RunRecord(
            id: id, dataset: row["dataset"], datasetProtocol: row["protocol"], model: row["model"],
            config: config,
            versions: try json("versions", [String: String].self) ?? [:], host: row["host"], label: row["label"],
            startedAt: row["started_at"], endedAt: endedAt,
            status: RunStatus(rawValue: row["status"]) ?? .failed, message: row["message"],
            epochCount: row["epoch_count"], finalTrainLoss: row["final_train_loss"],
            trainSeconds: (row["train_seconds"] as Double?) ?? (row["epoch_seconds"] as Double?) ?? 0,
            testMetrics: try json("test_metrics", ClassificationMetrics.self),
            inference: try json("inference", InferenceTiming.self), checkpointPath: row["checkpoint_path"],
            kind: RunKind(rawValue: row["kind"]) ?? .train, groupID: row["group_id"], augmentation: augmentation,
            settings: try json("settings", [RunSettings].self) ?? [RunSettings(fromEpoch: 1, config: config, augmentation: augmentation)],
            spread: try json("spread", ResultSpread.self),
            precision: (row["train_precision"] as String?).flatMap(TrainingPrecision.init(rawValue:)),
            source: (row["source_checkpoint"] as String?).map { ModelSource(run: row["source_run"], checkpoint: $0) })
    }

    /// SQLite stores NaN as NULL: a NULL in a required figure reads back as NaN.
    private static func epoch(_ row: Row) -> EpochRecord {
        func figure(_ column: String) -> Double { (row[column] as Double?) ?? .nan }
        return EpochRecord(epoch: row["epoch"], trainLoss: figure("train_loss"), penaltyLoss: figure("penalty_loss"),
                           trainAccuracy: figure("train_accuracy"), validationLoss: row["validation_loss"],
                           validationAccuracy: row["validation_accuracy"], validationMacroF1: row["validation_macro_f1"],
                           learningRate: figure("learning_rate"), seconds: figure("seconds"),
                           windowsPerSecond: figure("windows_per_second"))
    }
}

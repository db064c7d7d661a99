import Foundation
import GRDB

/// The SQLite file where runs and their epochs are recorded, shared by every session and process.
///
/// The file is in WAL mode with a busy timeout, so several processes can record runs at once; each write is
/// one transaction, so a failure leaves the store as it was. A running run records its process; opening the store
/// or listing runs marks the runs of processes that died without recording an end as `interrupted`.
public final class RunStore: Sendable {
    /// The store file.
    public let url: URL
    /// How long a write waits for another process's write to finish before failing.
    public let busyTimeout: TimeInterval
    let pool: DatabasePool

    /// The default store file: `HAR_RUNS` when set, else `$XDG_DATA_HOME/harlab/runs.sqlite`,
    /// else `~/.local/share/harlab/runs.sqlite`.
    public static func defaultURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let path = environment["HAR_RUNS"], !path.isEmpty { return URL(fileURLWithPath: path) }
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.hasPrefix("/") ? URL(fileURLWithPath: $0) : nil }
            ?? URL(fileURLWithPath: environment["HOME"] ?? NSHomeDirectory()).appendingPathComponent(".local/share")
        return dataHome.appendingPathComponent("harlab").appendingPathComponent("runs.sqlite")
    }

    /// Opens (creating when absent, with its folder) the store at `url` and brings its schema up to date.
    /// - Parameter busyTimeout: seconds a write waits while another process writes.
    /// - Throws: `RunStoreError` when the folder cannot be created, the file is not a run store,
    ///   or it was written by a newer harlab.
    public init(url: URL = RunStore.defaultURL(), busyTimeout: TimeInterval = 10) throws {
        self.url = url
        self.busyTimeout = busyTimeout
        let path = url.path
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw RunStoreError("cannot create the folder of run store '\(path)': \(error.localizedDescription)")
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.label = "harlab runs"
        let lock = try RunStoreOpeningLock.acquire(for: url, timeout: busyTimeout)
        defer { lock?.release() }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw RunStore.describe(error, path: path, doing: "open")
        }
        do {
            try RunStore.migrate(pool, path: path)
        } catch let error as RunStoreError {
            throw error
        } catch {
            throw RunStore.describe(error, path: path, doing: "open")
        }
        // Best effort: a store this process may only read still opens; its dead runs are marked by the next writer.
        _ = try? markInterruptedRuns()
    }

    /// Brings the schema up to date, or refuses a store written by a newer harlab. Called under the opening lock,
    /// so no other process migrates the same store meanwhile.
    static func migrate(_ pool: DatabasePool, path: String) throws {
        let migrator = RunStoreSchema.migrator
        if try pool.read({ try migrator.hasBeenSuperseded($0) }) {
            let newest = try pool.read { try migrator.appliedIdentifiers($0) }.sorted().last ?? "?"
            throw RunStoreError("run store '\(path)' was written by a newer harlab (schema \(newest)); upgrade harlab or use another store (HAR_RUNS)")
        }
        try migrator.migrate(pool)
    }

    /// Runs `body` in one write transaction, turning database errors into `RunStoreError`s.
    func write<T>(_ doing: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.write(body)
        } catch let error as RunStoreError {
            throw error
        } catch {
            throw RunStore.describe(error, path: url.path, doing: doing)
        }
    }

    /// Runs `body` on a read snapshot, turning database errors into `RunStoreError`s.
    func read<T>(_ doing: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.read(body)
        } catch let error as RunStoreError {
            throw error
        } catch {
            throw RunStore.describe(error, path: url.path, doing: doing)
        }
    }

    /// A message for a database error: a lock held too long, a file that is not a database, or SQLite's words.
    static func describe(_ error: Error, path: String, doing: String) -> RunStoreError {
        guard let error = error as? DatabaseError else {
            return RunStoreError("cannot \(doing) run store '\(path)': \(error)")
        }
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return RunStoreError("cannot \(doing) run store '\(path)': it is locked by another process; nothing was changed (try again when that process has finished)")
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return RunStoreError("cannot \(doing) run store '\(path)': the file is not a harlab run store (\(error.message ?? "not a database"))")
        default:
            return RunStoreError("cannot \(doing) run store '\(path)': \(error.message ?? "\(error.resultCode)")")
        }
    }
}

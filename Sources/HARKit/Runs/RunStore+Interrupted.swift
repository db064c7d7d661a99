import Foundation
import GRDB

extension RunStore {
    /// Marks as `interrupted` every running run whose recording process, on this machine, no longer exists
    /// (it was killed, or the machine restarted, before it recorded how the run ended), and returns their ids.
    ///
    /// Runs of live processes, of other machines and of stores written before owners were recorded are left alone.
    /// - Throws: `RunStoreError` when the store cannot be read or written.
    @discardableResult
    public func markInterruptedRuns() throws -> [Int64] {
        let machine = RunOwner.current
        let running = try read("read") { db in
            try Row.fetchAll(db, sql: """
                SELECT id, owner_host, owner_boot, owner_pid, owner_start FROM runs
                WHERE status = ? AND owner_pid IS NOT NULL
                """, arguments: [RunStatus.running.rawValue])
        }
        let ended: [(id: Int64, owner: RunOwner)] = running.compactMap { row in
            let owner = RunOwner(host: row["owner_host"] ?? "", bootID: row["owner_boot"] ?? "",
                                 pid: Int32(truncatingIfNeeded: row["owner_pid"] as Int64), startTicks: row["owner_start"])
            return owner.isAlive(seenFrom: machine) == false ? (row["id"], owner) : nil
        }
        guard !ended.isEmpty else { return [] }
        return try write("record interrupted runs in") { db in
            var marked: [Int64] = []
            for (id, owner) in ended {
                try db.execute(sql: "UPDATE runs SET status = ?, message = ? WHERE id = ? AND status = ?", arguments: [
                    RunStatus.interrupted.rawValue,
                    "the process recording it (pid \(owner.pid) on \(owner.host)) ended without recording how the run ended (killed, or the machine stopped)",
                    id, RunStatus.running.rawValue])
                if db.changesCount > 0 { marked.append(id) }
            }
            return marked
        }
    }
}

import Foundation

/// An exclusive lock, across processes, on opening a run store: held while a process creates the SQLite connection,
/// switches a new file to WAL mode and migrates the schema, so two `har` processes never set up one store at once.
///
/// SQLite cannot serialise that setup itself: GRDB's migrator reads which migrations are applied before it takes the
/// write lock (two processes both applied the schema and the second failed), and switching a new file to WAL mode can
/// answer `SQLITE_BUSY` without waiting on the busy timeout. GRDB's guide to sharing a database asks for a file
/// coordinator around the whole setup; on Linux that is `flock(2)` on `<store>.lock`, a file left beside the store
/// (it holds nothing; deleting it while no `har` runs is harmless).
struct RunStoreOpeningLock {
    private let descriptor: Int32

    /// Takes the lock of the store at `url`, waiting up to `timeout` seconds for another process to finish opening.
    /// Returns nil when the lock file cannot be created (a folder this process may only read): the store is then
    /// opened without it, as only readers open such a store.
    /// - Throws: `RunStoreError` when another process holds the lock for longer than `timeout`.
    static func acquire(for url: URL, timeout: TimeInterval) throws -> RunStoreOpeningLock? {
        let path = url.path + ".lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return nil }
        let deadline = Date().addingTimeInterval(timeout)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, Date() < deadline else {
                close(descriptor)
                throw RunStoreError("cannot open run store '\(url.path)': another process has been opening it for over \(Int(timeout)) s (lock '\(path)'); nothing was changed")
            }
            usleep(2_000)
        }
        return RunStoreOpeningLock(descriptor: descriptor)
    }

    /// Releases the lock.
    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

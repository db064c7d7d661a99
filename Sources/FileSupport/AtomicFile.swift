import Foundation

/// Writes files so that a reader sees the old content or the new, never a mix:
/// the data goes to a temporary file in the same folder, is flushed to disk, then renamed over the target.
///
/// A writer killed midway leaves its temporary file (`.NAME.tmp-PID-RANDOM`); the next successful write of the
/// same target removes the temporaries of writers that no longer run.
public enum AtomicFile {
    /// Replaces `url`'s content with `data` atomically; the new file gets `permissions` (before the umask).
    /// - Throws: `FileError` naming the path when it cannot be written (missing folder, read-only, disk full).
    public static func write(_ data: Data, to url: URL, permissions: mode_t = 0o644) throws {
        let temporary = temporaryURL(for: url)
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, permissions)
        guard fd >= 0 else { throw openFailure(of: url, errno: errno) }
        var failure: String?
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += n
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        close(fd)
        if failure == nil, rename(temporary.path, url.path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary.path)
            throw FileError("cannot write '\(url.path)': \(failure)")
        }
        removeStaleTemporaries(of: url)
    }

    /// The error for a file that could not be created: a missing folder is named as such (the bare "No such file or
    /// directory" read as if the file itself were missing).
    public static func openFailure(of url: URL, errno code: Int32) -> FileError {
        let folder = url.deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        if code == ENOENT || code == ENOTDIR, !(FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) && isFolder.boolValue) {
            return FileError("cannot write '\(url.path)': the folder '\(folder)' does not exist (create it first)")
        }
        return FileError("cannot write '\(url.path)': \(String(cString: strerror(code)))")
    }

    /// A fresh temporary sibling for a write of `url` by this process: `.NAME.tmp-PID-RANDOM` in the same folder.
    public static func temporaryURL(for url: URL) -> URL {
        url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    }

    /// Removes the temporaries of `url` (files or folders named `.NAME.tmp-PID` or `.NAME.tmp-PID-NUMBER`) whose
    /// writing process no longer exists; those of live processes, this one included, and any other name are kept.
    public static func removeStaleTemporaries(of url: URL) {
        let folder = url.deletingLastPathComponent()
        let prefix = ".\(url.lastPathComponent).tmp-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where name.hasPrefix(prefix) {
            let parts = name.dropFirst(prefix.count).split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
                  let pid = Int32(parts[0]), pid > 0, kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }
}

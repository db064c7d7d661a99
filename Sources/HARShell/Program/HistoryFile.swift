import Foundation
import Torch

/// The interactive shell's persistent history (`~/.har_history`): plain lines, one command each,
/// duplicates removed (the latest kept), at most `limit` lines, mode 0600, replaced atomically.
public struct HistoryFile: Sendable {
    /// Where the history lives.
    public let url: URL
    /// The most lines kept.
    public let limit: Int

    /// A history file at `url` keeping at most `limit` lines.
    public init(url: URL, limit: Int = 1000) {
        self.url = url
        self.limit = limit
    }

    /// The saved lines, oldest first; empty when the file is missing or unreadable.
    public func load() -> [String] {
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else { return [] }
        return HistoryFile.compacted(text.split(separator: "\n").map(String.init), limit: limit)
    }

    /// Writes `lines` (compacted) atomically with mode 0600, removing temporaries that killed writers left.
    public func save(_ lines: [String]) throws {
        let bytes = Array(HistoryFile.compacted(lines, limit: limit).map { $0 + "\n" }.joined().utf8)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw ShellError("cannot write '\(url.path)': \(String(cString: strerror(errno)))") }
        let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == bytes.count, rename(temporary.path, url.path) == 0 else {
            unlink(temporary.path)
            throw ShellError("cannot write '\(url.path)': \(String(cString: strerror(errno)))")
        }
        AtomicFile.removeStaleTemporaries(of: url)
    }

    /// `lines` without blanks, each duplicate kept only at its latest place, the last `limit` of them.
    public static func compacted(_ lines: [String], limit: Int) -> [String] {
        var seen = Set<String>()
        var kept: [String] = []
        for line in lines.reversed() where !line.allSatisfy(\.isWhitespace) && !line.contains("\n") {
            if seen.insert(line).inserted { kept.append(line) }
            if kept.count == limit { break }
        }
        return kept.reversed()
    }
}

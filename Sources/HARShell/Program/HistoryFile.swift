import FileSupport
import Foundation

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
        let text = HistoryFile.compacted(lines, limit: limit).map { $0 + "\n" }.joined()
        do {
            try AtomicFile.write(Data(text.utf8), to: url, permissions: 0o600)
        } catch let error as FileError {
            throw ShellError(error.description)
        }
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

import FileSupport
import Foundation

/// Reading and writing `har` scripts: whole files atomically, single commands appended in one write.
enum ScriptFile {
    /// Replaces `url` with `text` atomically (a reader never sees half a script).
    static func write(_ text: String, to url: URL) throws {
        do {
            try AtomicFile.write(Data(text.utf8), to: url)
        } catch {
            throw ShellError("\(error)")
        }
    }

    /// Appends `text` to `url` (created with mode 0644 if missing) in a single `write`, so concurrent
    /// appenders never interleave within a line.
    static func append(_ text: String, to url: URL) throws {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard fd >= 0 else { throw ShellError(AtomicFile.openFailure(of: url, errno: errno).message) }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            throw ShellError("cannot write '\(url.path)': \(String(cString: strerror(errno)))")
        }
    }

    /// Whether nothing is at `url` yet, or an empty file (a recording into it starts a new script).
    static func isEmptyOrMissing(_ url: URL) -> Bool {
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue
        return (size ?? 0) == 0
    }

    /// The text of the script at `url`.
    static func read(_ url: URL) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw ShellError("no such file: '\(url.path)'")
        }
        guard !isDirectory.boolValue else { throw ShellError("'\(url.path)' is a folder, not a script") }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ShellError("cannot read '\(url.path)'")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ShellError("'\(url.path)' is not UTF-8 text")
        }
        return text
    }
}

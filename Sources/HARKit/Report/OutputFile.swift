import FileSupport
import Foundation

/// Writes exported tables, plots and reports atomically, so a failed write leaves the old file (or none).
enum OutputFile {
    /// Replaces `url`'s content with `text` (UTF-8).
    /// - Throws: `ReportError` naming the path when the folder is missing or not writable.
    static func write(_ text: String, to url: URL, what: String) throws {
        try write(Data(text.utf8), to: url, what: what)
    }

    /// Replaces `url`'s content with `data`.
    /// - Throws: `ReportError` naming the path when the folder is missing or not writable.
    static func write(_ data: Data, to url: URL, what: String) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
            throw ReportError("cannot write the \(what) to '\(url.path)': it is a folder")
        }
        do {
            try AtomicFile.write(data, to: url)
        } catch {
            throw ReportError("cannot write the \(what): \(error)")
        }
    }
}

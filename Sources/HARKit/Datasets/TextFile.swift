import Foundation

/// Whole-file reads into a byte buffer, for the byte-level parsers.
enum TextFile {
    /// Reads `url` and hands a scanner over its bytes to `body`.
    /// - Throws: `DatasetError` naming the file when it is missing or unreadable, or whatever `body` throws.
    static func scan<Result>(_ url: URL, _ body: (inout ByteScanner) throws -> Result) throws -> Result {
        let bytes = try read(url)
        return try bytes.withUnsafeBufferPointer { buffer in
            var scanner = ByteScanner(buffer, file: url)
            return try body(&scanner)
        }
    }

    /// The bytes of `url`.
    /// - Throws: `DatasetError` naming the file when it is missing or unreadable.
    static func read(_ url: URL) throws -> [UInt8] {
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else { throw DatasetError.at(url, "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw DatasetError.at(url, "cannot stat: \(String(cString: strerror(errno)))") }
        let size = Int(info.st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        try bytes.withUnsafeMutableBytes { buffer in
            while done < size {
                let n = Foundation.read(fd, buffer.baseAddress! + done, size - done)
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { throw DatasetError.at(url, "read failed after \(done) of \(size) bytes") }
                done += n
            }
        }
        return bytes
    }

    /// Whether `url` is an existing folder.
    static func isFolder(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The sorted names in a folder, without hidden entries.
    /// - Throws: `DatasetError` when the folder cannot be listed.
    static func names(in folder: URL) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }.sorted()
        } catch {
            throw DatasetError.at(folder, "cannot list folder: \(error.localizedDescription)")
        }
    }
}

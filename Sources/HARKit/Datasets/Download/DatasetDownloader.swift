import FileSupport
import Foundation
import ZIPFoundation

/// Fetches a dataset's original archive, checks it, unpacks it (nested archives too) and checks the expected files.
///
/// What is verified: the archive's size against the server's `Content-Length` (a truncated transfer fails), and its
/// SHA-256 against a digest known in advance, when there is one. No publisher of these datasets gives a digest (the UCI
/// repository's dataset pages and the WISDM lab's page list none), so none is pinned in `DatasetArchive`: the first
/// download's SHA-256 is recorded in `<dataDirectory>/.checksums.json` (trust on first use) and every later download
/// must match it; `expectedSHA256` pins one for a call. The result says which of these happened.
///
/// The dataset lands in `<dataDirectory>/<name>/` only when everything succeeded: the archive is downloaded to a temporary
/// file and unpacked into a temporary folder that is renamed into place. The partial archive and unpacking folder of a
/// download that was killed are removed by the next successful download of the same dataset.
public enum DatasetDownloader {
    /// The file recording each dataset archive's SHA-256.
    public static let checksumFile = ".checksums.json"

    /// Downloads and unpacks `name` into `dataDirectory`; returns the dataset's folder, the archive's SHA-256 and how it was checked.
    /// - Parameters:
    ///   - url: where to fetch from instead of the publisher (a mirror, or a test server).
    ///   - expectedSHA256: the digest the archive must have; nil uses the one recorded by an earlier download, if any.
    ///   - shouldStop: polled while the archive arrives and before it is unpacked (Ctrl-C); when it says yes the download stops.
    ///   - progress: called with (bytes received, bytes expected when known) as data arrives, on a background thread.
    /// - Throws: `DatasetError` for an unknown name, a failed, truncated or stopped download, a checksum mismatch, an archive
    ///   that does not unpack or lacks the dataset's files. Nothing is left behind then.
    public static func download(_ name: String, into dataDirectory: URL, from url: URL? = nil, expectedSHA256: String? = nil,
                                shouldStop: () -> Bool = { false }, progress: ((Int64, Int64?) -> Void)? = nil) throws -> DatasetDownload {
        let canonical = try DatasetCatalog.canonicalName(name)
        guard let archive = DatasetArchive.known[canonical] else { throw DatasetError("\(canonical) has no archive to download") }
        let source = url ?? archive.url
        let files = FileManager.default
        try? files.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        let target = dataDirectory.appendingPathComponent(canonical)
        let partial = AtomicFile.temporaryURL(for: target)
        let staging = AtomicFile.temporaryURL(for: target)
        defer {
            try? files.removeItem(at: partial)
            try? files.removeItem(at: staging)
        }
        _ = try HTTPFetcher.fetch(source, to: partial, progress: progress, shouldStop: shouldStop)
        if shouldStop() { throw DatasetError("download of \(canonical) stopped by Ctrl-C before unpacking") }
        let digest = try SHA256Digest.ofFile(partial)
        var recorded = readChecksums(dataDirectory)
        let check: DatasetDownload.Check = expectedSHA256 != nil ? .pinned : recorded[canonical] != nil ? .recorded : .firstUse
        if let wanted = (expectedSHA256 ?? recorded[canonical])?.lowercased(), wanted != digest {
            let origin = check == .pinned ? "expected" : "recorded by the first download in \(checksumFile):"
            throw DatasetError("checksum mismatch for \(canonical) from \(source.absoluteString): \(origin) SHA-256 \(wanted), got \(digest); nothing was unpacked")
        }
        try files.createDirectory(at: staging, withIntermediateDirectories: true)
        try unpack(partial, format: archive.format, into: staging)
        try unpackNested(in: staging)
        guard DatasetCatalog.root(canonical, in: staging) != nil else {
            throw DatasetError("the archive from \(source.absoluteString) does not hold \(canonical)'s files (\(DatasetCatalog.expectation(canonical)))")
        }
        let old = AtomicFile.temporaryURL(for: target)
        if files.fileExists(atPath: target.path) { try files.moveItem(at: target, to: old) }
        try files.moveItem(at: staging, to: target)
        try? files.removeItem(at: old)
        AtomicFile.removeStaleTemporaries(of: target)
        recorded[canonical] = digest
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try AtomicFile.write(try encoder.encode(recorded), to: dataDirectory.appendingPathComponent(checksumFile))
        } catch let error as FileError {
            throw DatasetError(error.message)
        }
        return DatasetDownload(name: canonical, folder: target, sha256: digest, check: check)
    }

    /// The recorded digests, by dataset name (empty when none were recorded).
    static func readChecksums(_ dataDirectory: URL) -> [String: String] {
        guard let data = try? Data(contentsOf: dataDirectory.appendingPathComponent(checksumFile)) else { return [:] }
        return (try? JSONDecoder().decode([String: String].self, from: data)) ?? [:]
    }

    private static func unpack(_ archive: URL, format: DatasetArchive.Format, into folder: URL) throws {
        switch format {
        case .zip:
            do { try FileManager.default.unzipItem(at: archive, to: folder) } catch {
                throw DatasetError("cannot unpack the zip archive '\(archive.lastPathComponent)': \(error) (truncated or damaged download?)")
            }
        case .tarGz:
            let tar = Process()
            tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            tar.arguments = ["tar", "-xzf", archive.path, "-C", folder.path]
            let errors = Pipe()
            tar.standardError = errors
            try tar.run()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            tar.waitUntilExit()
            guard tar.terminationStatus == 0 else {
                throw DatasetError("cannot unpack the tar.gz archive '\(archive.lastPathComponent)': \(message.trimmingCharacters(in: .whitespacesAndNewlines)) (truncated or damaged download?)")
            }
        }
    }

    /// Unpacks archives found inside the unpacked folder (UCI's outer zips hold inner ones), deleting each after; drops `__MACOSX`.
    private static func unpackNested(in folder: URL) throws {
        let files = FileManager.default
        while true {
            let entries = (files.enumerator(at: folder, includingPropertiesForKeys: nil)?.allObjects as? [URL]) ?? []
            if let junk = entries.first(where: { $0.lastPathComponent == "__MACOSX" }) {
                try files.removeItem(at: junk)
                continue
            }
            let isArchive = { (name: String) in name.hasSuffix(".zip") || name.hasSuffix(".tar.gz") || name.hasSuffix(".tgz") }
            guard let archive = entries.first(where: { isArchive($0.lastPathComponent) }) else { return }
            try unpack(archive, format: archive.lastPathComponent.hasSuffix(".zip") ? .zip : .tarGz, into: archive.deletingLastPathComponent())
            try files.removeItem(at: archive)
        }
    }
}

import XCTest
import ZIPFoundation
@testable import HARKit
import TestSupport

final class DownloadTests: IsolatedTestCase {
    private var fixtures: URL { Bundle.module.url(forResource: "Fixtures", withExtension: nil)! }

    /// The UCI repository's shape: an outer zip holding `UCI HAR Dataset.zip` and a `__MACOSX` folder.
    private func nestedUCIArchive(in scratch: URL) throws -> Data {
        let inner = scratch.appendingPathComponent("outer/UCI HAR Dataset.zip")
        try FileManager.default.createDirectory(at: scratch.appendingPathComponent("outer/__MACOSX"), withIntermediateDirectories: true)
        try FileManager.default.zipItem(at: fixtures.appendingPathComponent("uci-har/UCI HAR Dataset"), to: inner)
        let outer = scratch.appendingPathComponent("uci.zip")
        try FileManager.default.zipItem(at: scratch.appendingPathComponent("outer"), to: outer, shouldKeepParent: false)
        return try Data(contentsOf: outer)
    }

    private func wisdmArchive(in scratch: URL) throws -> Data {
        let archive = scratch.appendingPathComponent("wisdm.tar.gz")
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["tar", "-czf", archive.path, "-C", fixtures.appendingPathComponent("wisdm").path, "WISDM_ar_v1.1"]
        try tar.run()
        try ChildTestProcess.wait(for: tar, seconds: 120)
        return try Data(contentsOf: archive)
    }

    private func digest(_ data: Data) -> String {
        var sha = SHA256Digest()
        sha.update(data)
        return sha.hex()
    }

    private func visibleEntries(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    func testSHA256MatchesPublishedTestVectors() {
        XCTAssertEqual(digest(Data()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(digest(Data("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(digest(Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        var pieces = SHA256Digest()
        for _ in 0..<1000 { pieces.update(Data(repeating: 0x61, count: 1000)) }
        XCTAssertEqual(pieces.hex(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", "one million 'a'")
    }

    func testDownloadUnpacksNestedZipRecordsChecksumAndLoads() throws {
        let scratch = try DatasetsTestSupport.temporaryFolder("download-uci")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let archive = try nestedUCIArchive(in: scratch)
        let server = try DownloadTestServer(routes: ["uci.zip": .init(body: archive)])
        defer { server.stop() }
        let data = scratch.appendingPathComponent("data")
        var updates = [(Int64, Int64?)]()
        let folder = try DatasetDownloader.download("uci", into: data, from: server.url("uci.zip")) { updates.append(($0, $1)) }.folder
        XCTAssertEqual(folder.standardizedFileURL.path, data.appendingPathComponent("uci-har").standardizedFileURL.path)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("UCI HAR Dataset/activity_labels.txt").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("UCI HAR Dataset.zip").path), "nested archive removed")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("__MACOSX").path))
        XCTAssertEqual(updates.last?.0, Int64(archive.count))
        XCTAssertEqual(updates.last?.1, Int64(archive.count))
        XCTAssertEqual(DatasetDownloader.readChecksums(data), ["uci-har": digest(archive)])
        XCTAssertEqual(try visibleEntries(data), [".checksums.json", "uci-har"])
        let loaded = try DatasetCatalog.load("uci", options: ["validation": "0"], dataDirectory: data)
        XCTAssertEqual(loaded.count, 6)
    }

    func testDownloadUnpacksTarGz() throws {
        let scratch = try DatasetsTestSupport.temporaryFolder("download-wisdm")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let server = try DownloadTestServer(routes: ["wisdm.tar.gz": .init(body: try wisdmArchive(in: scratch))])
        defer { server.stop() }
        let data = scratch.appendingPathComponent("data")
        let folder = try DatasetDownloader.download("wisdm", into: data, from: server.url("wisdm.tar.gz")).folder
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("WISDM_ar_v1.1/WISDM_ar_v1.1_raw.txt").path))
        XCTAssertGreaterThan(try DatasetCatalog.load("wisdm", dataDirectory: data).count, 0)
    }

    func testLaterDownloadWithAnotherChecksumFailsAndKeepsTheDataset() throws {
        let scratch = try DatasetsTestSupport.temporaryFolder("download-recheck")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let archive = try nestedUCIArchive(in: scratch)
        var changed = archive
        changed.append(contentsOf: [0, 0, 0, 0])
        let server = try DownloadTestServer(routes: ["uci.zip": .init(body: archive), "changed.zip": .init(body: changed)])
        defer { server.stop() }
        let data = scratch.appendingPathComponent("data")
        _ = try DatasetDownloader.download("uci", into: data, from: server.url("uci.zip"))
        XCTAssertThrowsError(try DatasetDownloader.download("uci", into: data, from: server.url("changed.zip"))) { error in
            XCTAssertTrue("\(error)".contains("checksum mismatch for uci-har"), "\(error)")
            XCTAssertTrue("\(error)".contains("recorded by the first download in .checksums.json: SHA-256 \(self.digest(archive))"), "\(error)")
        }
        XCTAssertEqual(try visibleEntries(data), [".checksums.json", "uci-har"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: data.appendingPathComponent("uci-har/UCI HAR Dataset/activity_labels.txt").path))
    }

    /// Says what was verified: the first download records its digest (nothing to compare with: the publishers give none),
    /// a later one is compared with that record, a given digest is compared with the archive. Before this result existed
    /// `download` said "SHA-256 verified" even on a first download, which verified nothing.
    func testEachDownloadSaysWhatItsDigestWasCheckedAgainst() throws {
        let scratch = try DatasetsTestSupport.temporaryFolder("download-check")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let archive = try nestedUCIArchive(in: scratch)
        let server = try DownloadTestServer(routes: ["uci.zip": .init(body: archive)])
        defer { server.stop() }
        let data = scratch.appendingPathComponent("data"), sha = digest(archive)
        let first = try DatasetDownloader.download("uci", into: data, from: server.url("uci.zip"))
        XCTAssertEqual(first.check, .firstUse)
        XCTAssertEqual(first.sha256, sha)
        XCTAssertTrue(first.summary.contains("the publisher gives no digest, so SHA-256 \(sha) was recorded in .checksums.json"), first.summary)
        XCTAssertFalse(first.summary.contains("matches"), first.summary)
        let second = try DatasetDownloader.download("uci", into: data, from: server.url("uci.zip"))
        XCTAssertEqual(second.check, .recorded)
        XCTAssertTrue(second.summary.contains("SHA-256 \(sha) matches the one recorded by the first download"), second.summary)
        let pinned = try DatasetDownloader.download("uci", into: data, from: server.url("uci.zip"), expectedSHA256: sha.uppercased())
        XCTAssertEqual(pinned.check, .pinned)
        XCTAssertTrue(pinned.summary.contains("size and SHA-256 \(sha) verified against the given digest"), pinned.summary)
        XCTAssertEqual(DatasetDownloader.readChecksums(data), ["uci-har": sha])
    }

    func testWrongExpectedChecksumLeavesNothingBehind() throws {
        let scratch = try DatasetsTestSupport.temporaryFolder("download-wrongsum")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let server = try DownloadTestServer(routes: ["uci.zip": .init(body: try nestedUCIArchive(in: scratch))])
        defer { server.stop() }
        let data = scratch.appendingPathComponent("data")
        XCTAssertThrowsError(try DatasetDownloader.download("uci", into: data, from: server.url("uci.zip"), expectedSHA256: String(repeating: "0", count: 64))) { error in
            XCTAssertTrue("\(error)".contains("checksum mismatch"), "\(error)")
        }
        XCTAssertEqual(try visibleEntries(data), [])
    }

    func testTruncatedTransferFailsClearly() throws {
        let scratch = try DatasetsTestSupport.temporaryFolder("download-short")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let archive = try nestedUCIArchive(in: scratch)
        let server = try DownloadTestServer(routes: ["uci.zip": .init(body: archive.prefix(archive.count / 2), announcedLength: archive.count)])
        defer { server.stop() }
        let data = scratch.appendingPathComponent("data")
        XCTAssertThrowsError(try DatasetDownloader.download("uci", into: data, from: server.url("uci.zip"))) { error in
            XCTAssertTrue("\(error)".contains("download of \(server.url("uci.zip").absoluteString)"), "\(error)")
        }
        XCTAssertEqual(try visibleEntries(data), [])
    }

    func testTruncatedArchiveFailsToUnpackAndLeavesNothingBehind() throws {
        let scratch = try DatasetsTestSupport.temporaryFolder("download-damaged")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let archive = try nestedUCIArchive(in: scratch)
        let server = try DownloadTestServer(routes: ["uci.zip": .init(body: archive.prefix(archive.count * 2 / 3))])
        defer { server.stop() }
        let data = scratch.appendingPathComponent("data")
        XCTAssertThrowsError(try DatasetDownloader.download("uci", into: data, from: server.url("uci.zip"))) { error in
            XCTAssertTrue("\(error)".contains("cannot unpack the zip archive"), "\(error)")
        }
        XCTAssertEqual(try visibleEntries(data), [])
    }

    func testArchiveWithoutTheDatasetFilesIsRejected() throws {
        let scratch = try DatasetsTestSupport.temporaryFolder("download-wrong")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let zip = scratch.appendingPathComponent("npy.zip")
        try FileManager.default.zipItem(at: fixtures.appendingPathComponent("npy"), to: zip)
        let server = try DownloadTestServer(routes: ["dsads.zip": .init(body: try Data(contentsOf: zip))])
        defer { server.stop() }
        let data = scratch.appendingPathComponent("data")
        XCTAssertThrowsError(try DatasetDownloader.download("dsads", into: data, from: server.url("dsads.zip"))) { error in
            XCTAssertTrue("\(error)".contains("does not hold dsads's files"), "\(error)")
        }
        XCTAssertEqual(try visibleEntries(data), [])
    }

    /// Ctrl-C (the stop flag) while a slow server is still sending: the download stops promptly, nothing partial stays in
    /// the data directory, and a later download of the same dataset succeeds.
    func testStoppingASlowDownloadLeavesNothingAndALaterDownloadSucceeds() throws {
        let scratch = try DatasetsTestSupport.temporaryFolder("download-stop")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let archive = try nestedUCIArchive(in: scratch)
        XCTAssertGreaterThan(archive.count, 8 * 1024, "the archive takes several slow chunks")
        let pace = 0.2  // seconds per KiB the slow server waits
        let server = try DownloadTestServer(routes: ["slow.zip": .init(body: archive, pausePerKiB: pace), "uci.zip": .init(body: archive)])
        defer { server.stop() }
        let data = scratch.appendingPathComponent("data")
        let received = ReceivedBytes()
        var stoppedAt: Date?
        let shouldStop = {
            if stoppedAt == nil, received.value >= 2048 { stoppedAt = Date() }
            return stoppedAt != nil
        }
        XCTAssertThrowsError(try DatasetDownloader.download("uci", into: data, from: server.url("slow.zip"), shouldStop: shouldStop) { bytes, _ in
            received.value = bytes
        }) { error in
            XCTAssertTrue("\(error)".contains("stopped by Ctrl-C"), "\(error)")
        }
        let stopped = try XCTUnwrap(stoppedAt, "the transfer was under way when stopped")
        // Prompt means sooner than the rest of the archive would take at the server's pace (a download ignoring the stop
        // takes that long): a bound set by this test's server, not by how fast this machine runs.
        let rest = Double(archive.count - Int(received.value)) / 1024 * pace
        XCTAssertLessThan(Date().timeIntervalSince(stopped), rest, "the download stops before the rest of the archive would arrive")
        XCTAssertLessThan(received.value, Int64(archive.count), "stopped before the whole archive arrived")
        XCTAssertEqual(try visibleEntries(data), [], "no partial archive, staging folder or checksum is left")

        // What a `kill -9` during a download leaves (it cannot clean up): a partial archive and an unpacking folder.
        let dead = try exitedProcessID()
        XCTAssertTrue(FileManager.default.createFile(atPath: data.appendingPathComponent(".uci-har.tmp-\(dead)-1").path, contents: archive.prefix(100)), "could not create a file")
        try FileManager.default.createDirectory(at: data.appendingPathComponent(".uci-har.tmp-\(dead)-2/UCI HAR Dataset"),
                                                withIntermediateDirectories: true)
        let folder = try DatasetDownloader.download("uci", into: data, from: server.url("uci.zip")).folder
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("UCI HAR Dataset/activity_labels.txt").path))
        XCTAssertEqual(try visibleEntries(data), [".checksums.json", "uci-har"], "the killed download's leftovers are removed")
    }

    /// The pid of a child that has exited and been reaped (not reused this soon).
    private func exitedProcessID() throws -> Int32 {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        try ChildTestProcess.wait(for: child, seconds: 60)
        return child.processIdentifier
    }
}

/// The byte count the download's progress callback reports from its background thread.
private final class ReceivedBytes: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes: Int64 = 0

    var value: Int64 {
        get { lock.withLock { bytes } }
        set { lock.withLock { bytes = newValue } }
    }
}

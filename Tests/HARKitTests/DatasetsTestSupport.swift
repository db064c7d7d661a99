import Foundation
import XCTest
@testable import HARKit

/// Temporary folders and small file writers shared by the dataset tests.
enum DatasetsTestSupport {
    /// A fresh empty folder under the system temp directory.
    static func temporaryFolder(_ label: String = "harkit") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `text` to `folder/relative`, creating folders.
    static func write(_ text: String, to relative: String, in folder: URL) throws {
        let url = folder.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: false, encoding: .utf8)
    }

    /// A folder of real DSADS recordings: `HARLAB_DSADS`, or the shared zip unpacked once per test run; nil when neither exists.
    static func realDSADS() throws -> URL? {
        if let path = ProcessInfo.processInfo.environment["HARLAB_DSADS"] { return URL(fileURLWithPath: path) }
        let zip = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/data/dsads-subjects-1-6.zip")
        guard FileManager.default.fileExists(atPath: zip.path) else { return nil }
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("harlab-dsads-test-\(getuid())")
        if FileManager.default.fileExists(atPath: target.appendingPathComponent("data/a19/p6/s60.txt").path) { return target }
        try? FileManager.default.removeItem(at: target)
        let unzip = Process()
        unzip.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
        unzip.arguments = ["-q", zip.path, "-d", target.path]
        try unzip.run()
        unzip.waitUntilExit()
        return unzip.terminationStatus == 0 ? target : nil
    }
}

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

    /// The variable that opts out of the real-data tests (CI then accepts their skips).
    static let skipRealDataVariable = "HARLAB_SKIP_REAL_DATA"

    /// The real DSADS recordings for a test: `HARLAB_DSADS` (a folder holding `data/a01…`, or the zip), else the shared
    /// zip `../shared/data/dsads-subjects-1-6.zip` beside the package root, unpacked once per machine.
    /// - Returns: the folder that holds `a01`…`a19` (what `DSADSLoader.locate` finds).
    /// - Throws: `XCTSkip` naming `HARLAB_SKIP_REAL_DATA` when it is 1, or when neither source exists (a skip CI
    ///   reports as unexpected); a plain error when `HARLAB_DSADS` is set but holds no recordings, or the zip does not
    ///   unpack: a wrong path fails the test instead of skipping it.
    static func requireRealDSADS() throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        if environment[skipRealDataVariable] == "1" { throw XCTSkip("\(skipRealDataVariable)=1: the real DSADS tests were not run") }
        if let path = environment["HARLAB_DSADS"] {
            var folder = URL(fileURLWithPath: path)
            if path.hasSuffix(".zip"), FileManager.default.fileExists(atPath: path) { folder = try unpacked(folder) }
            guard let activities = DSADSLoader.locate(in: folder) else {
                throw RealDataError("HARLAB_DSADS=\(path) holds no DSADS recordings (data/a01/p1/s01.txt …): fix or unset it")
            }
            return activities
        }
        let zip = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data/dsads-subjects-1-6.zip")
        guard FileManager.default.fileExists(atPath: zip.path) else {
            throw XCTSkip("real DSADS data absent: set HARLAB_DSADS to a folder holding data/a01… or provide \(zip.path) (or \(skipRealDataVariable)=1 to skip on purpose)")
        }
        guard let activities = DSADSLoader.locate(in: try unpacked(zip)) else {
            throw RealDataError("\(zip.path) unpacked to no DSADS recordings (data/a01/p1/s01.txt …)")
        }
        return activities
    }

    /// The package's root folder (this file is Tests/HARKitTests/DatasetsTestSupport.swift).
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// `zip` unpacked into a folder of the temp directory named after it, once (a complete copy is reused).
    private static func unpacked(_ zip: URL) throws -> URL {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("harlab-\(zip.deletingPathExtension().lastPathComponent)-\(getuid())")
        if FileManager.default.fileExists(atPath: target.appendingPathComponent("complete").path) { return target }
        try? FileManager.default.removeItem(at: target)
        let unzip = Process()
        unzip.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
        unzip.arguments = ["-q", zip.path, "-d", target.path]
        try unzip.run()
        try ChildTestProcess.wait(for: unzip, seconds: 600)
        guard unzip.terminationStatus == 0 else { throw RealDataError("unzip \(zip.path) failed with status \(unzip.terminationStatus)") }
        XCTAssertTrue(FileManager.default.createFile(atPath: target.appendingPathComponent("complete").path, contents: nil), "could not create a file")
        return target
    }
}

/// Real data that was asked for (HARLAB_DSADS set, the shared zip present) but cannot be read: a failure, not a skip.
struct RealDataError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

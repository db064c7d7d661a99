import XCTest
@testable import HARKit
import TestSupport

final class DatasetsCacheTests: IsolatedTestCase {
    /// Two activities × two subjects, one 6-row segment each, in DSADS's layout.
    private func makeDSADS(in folder: URL) throws -> URL {
        let root = folder.appendingPathComponent("dsads")
        for a in 1...2 {
            for p in 1...2 {
                let rows = (0..<6).map { r in (0..<45).map { c in String(Double(a * 100 + p * 10 + r) + Double(c) / 64) }.joined(separator: ",") }
                try DatasetsTestSupport.write(rows.joined(separator: "\n"), to: String(format: "data/a%02d/p%d/s01.txt", a, p), in: root)
            }
        }
        return root
    }

    func testCachedReloadEqualsFreshLoadAndSkipsTheSourceFiles() throws {
        let directory = try DatasetsTestSupport.temporaryFolder("cache")
        defer { try? FileManager.default.removeItem(at: directory) }
        let root = try makeDSADS(in: directory)
        let options = ["window": "3", "split": "subjects:2"]
        let fresh = try DatasetCatalog.load("dsads", from: root, options: options, dataDirectory: directory)
        let cache = DatasetCatalog.cacheLocation("dsads", root: root.appendingPathComponent("data"), options: try DatasetOptions(options), dataDirectory: directory)
        XCTAssertEqual(Set(try TextFile.names(in: cache)), Set(NpyFolder.arrayNames + ["harlab.json"]))
        // Corrupt a source file: a cached reload must not read it.
        try DatasetsTestSupport.write("garbage", to: "data/a01/p1/s01.txt", in: root)
        let cached = try DatasetCatalog.load("dsads", from: root, options: options, dataDirectory: directory)
        XCTAssertEqual(cached.windows, fresh.windows)
        XCTAssertEqual(cached.labels, fresh.labels)
        XCTAssertEqual(cached.subjects, fresh.subjects)
        XCTAssertEqual(cached.splits, fresh.splits)
        XCTAssertEqual(cached.protocolDescription, fresh.protocolDescription)
        XCTAssertThrowsError(try DatasetCatalog.load("dsads", from: root, options: options.merging(["cache": "off"]) { $1 }, dataDirectory: directory))
    }

    func testFailedLoadLeavesNoCacheBehind() throws {
        let directory = try DatasetsTestSupport.temporaryFolder("cache-fail")
        defer { try? FileManager.default.removeItem(at: directory) }
        let root = try makeDSADS(in: directory)
        try DatasetsTestSupport.write("1,2,3\n", to: "data/a02/p2/s01.txt", in: root)
        XCTAssertThrowsError(try DatasetCatalog.load("dsads", from: root, options: ["window": "3", "split": "subjects:2"], dataDirectory: directory))
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent(".cache").path))
    }

    func testDifferentOptionsUseDifferentCacheFolders() throws {
        let root = URL(fileURLWithPath: "/data/dsads")
        let a = DatasetCatalog.cacheLocation("dsads", root: root, options: try DatasetOptions(["window": "100"]), dataDirectory: root)
        let b = DatasetCatalog.cacheLocation("dsads", root: root, options: try DatasetOptions(["window": "125"]), dataDirectory: root)
        XCTAssertNotEqual(a, b)
        XCTAssertTrue(a.path.hasPrefix("/data/dsads/.cache/dsads-"))
    }

    func testLocalFolderFindsADatasetInTheDataDirectory() throws {
        let directory = try DatasetsTestSupport.temporaryFolder("local")
        defer { try? FileManager.default.removeItem(at: directory) }
        XCTAssertNil(DatasetCatalog.localFolder("dsads", dataDirectory: directory))
        let root = try makeDSADS(in: directory)
        XCTAssertEqual(DatasetCatalog.localFolder("dasa", dataDirectory: directory)?.standardizedFileURL.path, root.appendingPathComponent("data").standardizedFileURL.path)
    }
}

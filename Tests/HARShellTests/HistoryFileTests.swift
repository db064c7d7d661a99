import XCTest
@testable import HARShell
import TestSupport

final class HistoryFileTests: IsolatedTestCase {
    func testCompactionKeepsTheLatestOfEachDuplicateAndTheLimit() {
        XCTAssertEqual(HistoryFile.compacted(["a", "b", "a", " ", "c", "b"], limit: 10), ["a", "c", "b"])
        XCTAssertEqual(HistoryFile.compacted(["a", "b", "c", "d"], limit: 2), ["c", "d"])
    }

    func testSaveWritesPlainLinesWithOwnerOnlyPermissions() throws {
        let url = temporaryFolder().appendingPathComponent(".har_history")
        let file = HistoryFile(url: url, limit: 3)
        try file.save(["load wisdm", "set lr 1e-3", "load wisdm", "train 3", "eval"])
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "load wisdm\ntrain 3\neval\n")
        let mode = try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        XCTAssertEqual(file.load(), ["load wisdm", "train 3", "eval"])
    }

    func testLoadOfAMissingFileIsEmpty() {
        XCTAssertEqual(HistoryFile(url: temporaryFolder().appendingPathComponent("none")).load(), [])
    }
}

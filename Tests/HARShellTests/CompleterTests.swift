import XCTest
@testable import HARShell
import TestSupport

final class CompleterTests: IsolatedTestCase {
    private let completer = Completer(session: Session())

    func testCommandWords() {
        XCTAssertEqual(completer.complete("tr").candidates, ["train"])
        XCTAssertEqual(completer.complete("tr").insertion, "ain ")
        XCTAssertEqual(completer.complete("s").candidates, ["save", "set", "show", "status", "stream", "summary"])
        XCTAssertEqual(completer.complete("s").insertion, "")
        XCTAssertEqual(completer.complete("set lr 1; ev").candidates, ["eval"])
        XCTAssertEqual(completer.complete("?tr").candidates, ["?train"])
    }

    func testDatasetAndModelNames() {
        XCTAssertEqual(completer.complete("load pa").candidates, ["pamap", "pamap2"])
        XCTAssertEqual(completer.complete("load pa").insertion, "map")
        XCTAssertEqual(completer.complete("model attn").candidates, ["attn", "attn+lstm"])
        XCTAssertEqual(completer.complete("model deep").candidates, ["deepconvlstm"])
    }

    func testOptionKeysEndInEqualsWithoutASpace() {
        XCTAssertEqual(completer.complete("load wisdm win").candidates, ["window=", "windowing="])
        XCTAssertEqual(completer.complete("load wisdm win").insertion, "dow")
        XCTAssertEqual(completer.complete("load wisdm overl").insertion, "ap=")
        XCTAssertEqual(completer.complete("load wisdm normalize=o").candidates, ["normalize=off", "normalize=on"])
    }

    func testSettingKeysAndValues() {
        XCTAssertEqual(completer.complete("set opt").candidates, ["optimizer"])
        XCTAssertEqual(completer.complete("set optimizer ").candidates, ["adam", "adamw", "default", "sgd"])
        XCTAssertEqual(completer.complete("show min").candidates, ["min_delta"])
        XCTAssertEqual(completer.complete("help inf").candidates, ["info"])
    }

    func testFilePaths() throws {
        let folder = temporaryFolder()
        try "".write(to: folder.appendingPathComponent("quick.har"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("qdir"), withIntermediateDirectories: true)
        let local = Completer(session: Session(), currentDirectory: folder)
        XCTAssertEqual(local.complete("run q").candidates, ["qdir/", "quick.har"])
        XCTAssertEqual(local.complete("run qd").insertion, "ir/")
        XCTAssertEqual(local.complete("run \(folder.path)/qu").candidates, ["\(folder.path)/quick.har"])
        XCTAssertEqual(local.complete("load npy from q").candidates, ["qdir/", "quick.har"])
        XCTAssertEqual(local.complete("history save q").candidates, ["qdir/", "quick.har"])
    }

    func testListingPutsCandidatesInColumns() {
        let completion = Completion(typed: "", candidates: ["aa", "bbbb", "c"])
        XCTAssertEqual(completion.listing(width: 12), ["aa    bbbb", "c"])
        XCTAssertEqual(Completion(typed: "x", candidates: ["xy"]).listing(), [])
    }
}

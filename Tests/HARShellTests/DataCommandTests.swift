import XCTest
import HARKit
@testable import HARShell

/// `datasets` and `download` against an empty data directory (no network is used).
final class DataCommandTests: XCTestCase {
    func testDatasetsListsEveryCatalogNameWithPresence() {
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.execute("datasets"), .success)
        let entries = out.results.last?["datasets"]?.arrayValue ?? []
        XCTAssertEqual(entries.compactMap { $0["name"]?.stringValue }, DatasetCatalog.names)
        XCTAssertEqual(entries.first { $0["name"] == .string("synthetic") }?["present"], .bool(true))
        XCTAssertEqual(entries.first { $0["name"] == .string("wisdm") }?["present"], .bool(false))
        XCTAssertEqual(entries.first { $0["name"] == .string("uci-har") }?["aliases"], .array([.string("uci"), .string("ucihar")]))
        XCTAssertEqual(out.results.last?["data_dir"], .string(shell.dataDirectory.path))
    }

    func testDownloadRefusesNamesWithoutAnArchive() {
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.execute("download synthetic"), .failure)
        XCTAssertEqual(out.errors.last?.error, ShellError("synthetic has no archive to download", at: 9))
        XCTAssertEqual(shell.execute("download wisdum"), .failure)
        XCTAssertEqual(out.errors.last?.error.message, "unknown dataset 'wisdum' — did you mean 'wisdm'?")
    }

    func testConfigDropoutReachesTheModel() throws {
        let (shell, _) = makeInterpreter()
        XCTAssertEqual(shell.execute("load synthetic window=32 overlap=0; set dropout 0.3; model sa width=4 depth=1"), .success)
        XCTAssertEqual(shell.session.model?.spec.options["dropout"], 0.3)
        XCTAssertEqual(shell.execute("model sa width=4 depth=1 dropout=0.1"), .success)
        XCTAssertEqual(shell.session.model?.spec.options["dropout"], 0.1, "an explicit option wins")
    }
}

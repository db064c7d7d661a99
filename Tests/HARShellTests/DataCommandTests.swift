import XCTest
import HARKit
@testable import HARShell
import TestSupport

/// `datasets` and `download` against an empty data directory (no network is used).
final class DataCommandTests: IsolatedTestCase {
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

    /// Ctrl-C during `download` (the stop flag already raised, so no network is reached): the command fails saying so,
    /// the data directory stays empty and the session keeps working. The mid-transfer case is in HARKit's DownloadTests.
    func testCtrlCDuringDownloadFailsCleanlyAndTheSessionContinues() throws {
        let buffer = OutputBuffer()
        let shell = Interpreter(output: buffer, dataDirectory: temporaryFolder(), shouldStop: { true })
        defer { try? FileManager.default.removeItem(at: shell.dataDirectory) }
        XCTAssertEqual(shell.execute("download wisdm"), .failure)
        let message = buffer.errors.last?.error.message ?? ""
        XCTAssertTrue(message.contains("stopped by Ctrl-C"), message)
        XCTAssertEqual(buffer.errors.last?.error.position, 9, "the error points at the dataset name")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: shell.dataDirectory.path), [], "nothing partial is left")
        shell.shouldStop = { false }
        XCTAssertEqual(shell.execute("load synthetic window=32 overlap=0; datasets"), .success, buffer.errors.map(\.error.message).joined())
    }

    func testConfigDropoutReachesTheModel() throws {
        let (shell, _) = makeInterpreter()
        XCTAssertEqual(shell.execute("load synthetic window=32 overlap=0; set dropout 0.3; model sa width=4 depth=1"), .success)
        XCTAssertEqual(shell.session.model?.spec.options["dropout"], 0.3)
        XCTAssertEqual(shell.execute("model sa width=4 depth=1 dropout=0.1"), .success)
        XCTAssertEqual(shell.session.model?.spec.options["dropout"], 0.1, "an explicit option wins")
    }
}

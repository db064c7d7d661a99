import HARKit
import XCTest
@testable import HARShell
import TestSupport

/// `set sync_bn on|off`: off by default; outside a job it is accepted, and both `set` and `show` say that one process
/// normalises with the whole batch's statistics either way; anything but on/off is refused naming the key.
final class SyncBatchNormSettingTests: IsolatedTestCase {
    func testSyncBatchNormIsOffByDefaultAndSaysWhatItDoesInOneProcess() throws {
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(ConfigKey.named("sync_bn")?.defaultValue, "off")
        XCTAssertEqual(shell.execute("set sync_bn on"), .success, out.errorText)
        XCTAssertEqual(shell.session.config.syncBatchNorm, true)
        XCTAssertTrue(out.lines.contains { $0.contains("one process normalises with the whole batch's statistics, so there on and off train the same") },
                      out.transcript)
        XCTAssertEqual(shell.execute("show sync_bn"), .success, out.errorText)
        let row = try XCTUnwrap(out.results.last?["settings"]?.arrayValue?.first)
        XCTAssertEqual(row["value"], .string("on"))
        XCTAssertTrue(row["meaning"]?.stringValue?.contains("one process: the same either way") == true, "\(row)")

        XCTAssertEqual(shell.execute("set sync_bn sometimes"), .failure)
        XCTAssertTrue(out.errorText.contains("invalid value 'sometimes' for sync_bn: expected on|off"), out.errorText)
        XCTAssertEqual(shell.session.config.syncBatchNorm, true, "a refused value changes nothing")
        XCTAssertEqual(shell.execute("set sync_bn off"), .success, out.errorText)
        XCTAssertNil(shell.session.config.syncBatchNorm, "off is the default, stored as absent")
    }
}

import Foundation
import HARKit
import XCTest
import TestSupport
@testable import HARShell

/// `~` means the `HOME` the shell was started with, not the account's home in the password file: with `HOME`
/// pointing elsewhere, `save model ~/m.pt` used to write into the account's real home folder.
final class TildePathTests: ThreadRestoringTestCase {
    func testATildeExpandsFromTheGivenHome() {
        XCTAssertEqual(TildePath.expand("~/m.pt", home: "/tmp/h"), "/tmp/h/m.pt")
        XCTAssertEqual(TildePath.expand("~/m.pt", home: "/tmp/h/"), "/tmp/h/m.pt")
        XCTAssertEqual(TildePath.expand("~", home: "/tmp/h"), "/tmp/h")
        XCTAssertEqual(TildePath.expand("a/~/b", home: "/tmp/h"), "a/~/b")
        XCTAssertEqual(TildePath.expand("~other/x", home: "/tmp/h"), "~other/x")
        XCTAssertEqual(TildePath.home(["HOME": "/tmp/h"]), "/tmp/h")
    }

    func testTheShellWritesUnderItsOwnHome() throws {
        let home = temporaryFolder()
        let output = OutputBuffer()
        let program = ShellProgram(invocation: try Invocation.parse(["--no-rc", "-c", "load synthetic window=32 overlap=0; model sa width=2 depth=1; save model ~/m.pt"]),
                                   environment: ["HOME": home.path, "HAR_RUNS": home.appendingPathComponent("runs.sqlite").path],
                                   terminals: .init(input: false, output: false, error: false), output: output)
        XCTAssertEqual(program.run(), ShellProgram.ExitStatus.success, output.errors.map(\.error.message).joined())
        XCTAssertTrue(FileManager.default.fileExists(atPath: home.appendingPathComponent("m.pt").path), output.transcript)
    }
}

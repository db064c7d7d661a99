import XCTest
@testable import HARShell
import TestSupport

final class InvocationTests: IsolatedTestCase {
    func testStepsKeepTheirOrder() throws {
        let invocation = try Invocation.parse(["a.har", "-c", "status", "b.har", "-c", "show"])
        XCTAssertEqual(invocation.steps, [.script("a.har"), .commands("status"), .script("b.har"), .commands("show")])
        XCTAssertFalse(invocation.interactive)
    }

    func testFlags() throws {
        let invocation = try Invocation.parse(["-i", "--keep-going", "--quiet", "--no-rc", "--json", "--data-dir", "/d"])
        XCTAssertTrue(invocation.interactive && invocation.keepGoing && invocation.quiet && invocation.skipStartupFile && invocation.json)
        XCTAssertEqual(invocation.dataDirectory, "/d")
        XCTAssertEqual(try Invocation.parse(["--data-dir=/e"]).dataDirectory, "/e")
        XCTAssertEqual(try Invocation.parse(["--version"]).action, .version)
        XCTAssertEqual(try Invocation.parse(["--help"]).action, .help)
    }

    func testDoubleDashMakesEverythingAFile() throws {
        XCTAssertEqual(try Invocation.parse(["--", "--json"]).steps, [.script("--json")])
    }

    func testUnknownOptionSuggests() {
        XCTAssertThrowsError(try Invocation.parse(["--jsn"])) { error in
            XCTAssertEqual((error as? ShellError)?.message, "unknown option '--jsn' — did you mean '--json'?")
        }
    }

    func testMissingValueIsAnError() {
        XCTAssertThrowsError(try Invocation.parse(["-c"])) { error in
            XCTAssertEqual((error as? ShellError)?.message, "-c needs a value")
        }
    }

    func testDataDirectoryComesFromTheFlagThenTheEnvironment() throws {
        let environment = ["HAR_DATA": "/env", "HOME": "/home/u"]
        XCTAssertEqual(ShellProgram.dataDirectory(try Invocation.parse(["--data-dir", "/flag"]), environment).path, "/flag")
        XCTAssertEqual(ShellProgram.dataDirectory(Invocation(), environment).path, "/env")
        XCTAssertEqual(ShellProgram.dataDirectory(Invocation(), ["HOME": "/home/u"]).path, "/home/u/.harlab/data")
    }
}

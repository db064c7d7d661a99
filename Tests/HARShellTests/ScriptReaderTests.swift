import XCTest
@testable import HARShell
import TestSupport

final class ScriptReaderTests: IsolatedTestCase {
    func testContinuationJoinsLinesAndKeepsTheFirstLineNumber() {
        let lines = ScriptReader.lines(of: "# intro\nload synthetic\ntune lr=1e-4..1e-2:log, \\\n  batch=64|128\n\neval\n")
        XCTAssertEqual(lines.map(\.number), [1, 2, 3, 6])
        XCTAssertEqual(lines[2].text, "tune lr=1e-4..1e-2:log,    batch=64|128")
    }

    func testBackslashInsideACommentDoesNotContinue() {
        let lines = ScriptReader.lines(of: "train 3 # ends with \\\neval")
        XCTAssertEqual(lines.map(\.number), [1, 2])
    }

    func testWindowsLineEndingsAreAccepted() {
        XCTAssertEqual(ScriptReader.lines(of: "status\r\nshow\r\n").map(\.text), ["status", "show"])
    }
}

import XCTest
@testable import HARShell
import TestSupport

/// `clear` was added as one file and one line in `CommandTable.commands`; help, completion and the fuzzer find it there.
final class ClearCommandTests: IsolatedTestCase {
    func testClearWritesNothingOffATerminal() {
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.execute("clear"), .success)
        XCTAssertEqual(out.lines, [])
        XCTAssertEqual(out.results.last?.json.serialized, #"{"command":"clear","ok":true,"cleared":false}"#)
    }

    func testClearClearsATerminalAndIsNotRecorded() {
        let (shell, out) = makeInterpreter()
        shell.style = Style(colour: true)
        XCTAssertEqual(shell.execute("clear"), .success)
        XCTAssertEqual(out.lines, ["\u{1B}[H\u{1B}[2J\u{1B}[3J"])
        XCTAssertEqual(shell.session.history.last, HistoryEntry(command: "clear", succeeded: true, replayable: false))
    }

    func testClearTakesNoArguments() {
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.execute("clear all"), .failure)
        XCTAssertEqual(out.errors.last?.error, ShellError("unexpected argument 'all' — usage: clear", at: 6))
    }

    func testHelpCompletionAndFuzzerFindClear() {
        let (shell, out) = makeInterpreter()
        shell.execute("help")
        XCTAssertTrue(out.lines.contains { $0.hasPrefix("  clear ") })
        shell.execute("help clear")
        XCTAssertEqual(out.lines.last(where: { $0.hasPrefix("usage:") }), "usage: clear")
        XCTAssertEqual(Completer(session: Session()).complete("cl").candidates, ["clear"])
        XCTAssertTrue(FuzzInputGenerator.validLines.contains("clear"))
    }
}

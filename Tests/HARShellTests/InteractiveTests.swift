import Foundation
import XCTest
import TestSupport

/// The real `har` binary in a pseudo-terminal: prompt, TAB completion, history recall, Ctrl-C, Ctrl-D.
final class InteractiveTests: IsolatedTestCase {
    private func start(home: URL) throws -> PseudoTerminal {
        let environment = ["HOME": home.path, "TERM": "xterm", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
        let terminal = try PseudoTerminal(executable: try HarBinary.required(), arguments: ["--no-rc"], environment: environment)
        XCTAssertTrue(terminal.waitFor("har> "), "no prompt; got: \(terminal.transcript)")
        return terminal
    }

    func testTabCompletesACommandWordAndCtrlDExitsZero() throws {
        let terminal = try start(home: temporaryFolder())
        let mark = terminal.mark
        terminal.type("sta\t")
        XCTAssertTrue(terminal.waitFor("tus ", after: mark), terminal.transcript)  // libedit redraws: "sta" then "tus "
        terminal.type("\r")
        XCTAssertTrue(terminal.waitFor("optimizer  adamw", after: mark), terminal.transcript)
        XCTAssertTrue(terminal.waitFor("har> ", after: terminal.transcript.range(of: "optimizer")?.upperBound ?? terminal.mark))
        terminal.type("\u{4}")
        XCTAssertEqual(terminal.waitForExit(), 0)
    }

    func testTabListsSeveralCandidates() throws {
        let terminal = try start(home: temporaryFolder())
        let mark = terminal.mark
        terminal.type("set opt\t")
        XCTAssertTrue(terminal.waitFor("imizer ", after: mark), terminal.transcript)
        terminal.type("\u{15}s\t")  // Ctrl-U clears the line
        XCTAssertTrue(terminal.waitFor("summary", after: mark), terminal.transcript)
        terminal.type("\u{15}quit\r")
        XCTAssertEqual(terminal.waitForExit(), 0)
    }

    func testHistoryRecallAndPersistentHistoryFile() throws {
        let home = temporaryFolder()
        let terminal = try start(home: home)
        terminal.type("set batch 42\r")
        XCTAssertTrue(terminal.waitFor("batch = 42"), terminal.transcript)
        terminal.type("set batch 7\r")
        XCTAssertTrue(terminal.waitFor("batch = 7"), terminal.transcript)
        let mark = terminal.mark
        terminal.type("\u{10}\u{10}\r")  // Ctrl-P twice: back to `set batch 42`
        XCTAssertTrue(terminal.waitFor("batch = 42 (was 7)", after: mark), terminal.transcript)
        terminal.type("quit\r")
        XCTAssertEqual(terminal.waitForExit(), 0)
        let saved = try String(contentsOf: home.appendingPathComponent(".har_history"), encoding: .utf8)
        XCTAssertEqual(saved, "set batch 7\nset batch 42\nquit\n")
        let mode = try FileManager.default.attributesOfItem(atPath: home.appendingPathComponent(".har_history").path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)

        let again = try start(home: home)
        let next = again.mark
        again.type("\u{10}\u{10}\r")
        XCTAssertTrue(again.waitFor("batch = 42", after: next), again.transcript)
        XCTAssertTrue(again.waitFor("har> ", after: again.transcript.range(of: "batch = 42")?.upperBound ?? again.mark), again.transcript)
        again.type("\u{4}")
        XCTAssertEqual(again.waitForExit(), 0, again.transcript)
    }

    func testCtrlCAtThePromptDropsTheLine() throws {
        let terminal = try start(home: temporaryFolder())
        terminal.type("set batch 99")
        XCTAssertTrue(terminal.waitFor("set batch 99"))
        terminal.type("\u{3}")
        let mark = terminal.mark
        XCTAssertTrue(terminal.waitFor("har> ", after: mark), terminal.transcript)
        terminal.type("show batch\r")
        XCTAssertTrue(terminal.waitFor("batch  128", after: mark), terminal.transcript)
        terminal.type("\u{4}")
        XCTAssertEqual(terminal.waitForExit(), 0)
    }

    func testCtrlCDuringTrainingStopsAfterTheBatchAndKeepsTheModel() throws {
        let terminal = try start(home: temporaryFolder())
        terminal.type("load synthetic window=32 overlap=0; model sa width=4 depth=1; train 500\r")
        XCTAssertTrue(terminal.waitFor("    1 ", timeout: 60), terminal.transcript)  // the first epoch line
        let mark = terminal.mark
        terminal.type("\u{3}", atPrompt: false)
        XCTAssertTrue(terminal.waitFor("by Ctrl-C; the model keeps its weights", after: mark, timeout: 30), terminal.transcript)
        XCTAssertTrue(terminal.waitFor("har> ", after: mark), terminal.transcript)
        let statusMark = terminal.mark
        terminal.type("status\r")
        XCTAssertTrue(terminal.waitFor("model      sa depth=1 width=4", after: statusMark), terminal.transcript)
        XCTAssertTrue(terminal.waitFor("har> ", after: statusMark), terminal.transcript)
        terminal.type("\u{4}")
        XCTAssertEqual(terminal.waitForExit(), 0, terminal.transcript)
    }

    func testNonASCIIInputReachesTheCommand() throws {
        let terminal = try start(home: temporaryFolder())
        let mark = terminal.mark
        terminal.type("set batch σé\r")
        XCTAssertTrue(terminal.waitFor("invalid value 'σé' for batch", after: mark), terminal.transcript)
        terminal.type("\u{4}")
        XCTAssertEqual(terminal.waitForExit(), 0, terminal.transcript)
    }
}

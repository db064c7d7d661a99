import Foundation
import XCTest
@testable import HARShell
import TestSupport

/// The built `har` executable run as a subprocess: exit statuses and stream discipline of script mode.
/// (Each start loads libtorch, about a second: what `ShellProgramTests` covers in-process is not repeated here.)
final class BinaryTests: IsolatedTestCase {
    func testCommandsThatSucceedExitZero() throws {
        let run = try HarBinary.run(["--no-rc", "-c", "set lr 1e-3; show lr", "-c", "status"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("lr   0.001 *"))
    }

    func testAFailingCommandExitsOneWithTheErrorOnStderrAndNoEscapeCodes() throws {
        let run = try HarBinary.run(["--no-rc", "-c", "trian 3", "-c", "status"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("unknown command 'trian' — did you mean 'train'?"), run.stderr)
        XCTAssertTrue(run.stderr.contains("  trian 3\n  ^~~~~"), run.stderr)
        XCTAssertFalse(run.stdout.contains("dataset"), "the script stops at the failing command")
        XCTAssertFalse((run.stdout + run.stderr).contains("\u{1B}["), "no ANSI codes when not on a terminal")
    }

    func testBadInvocationExitsTwo() throws {
        let run = try HarBinary.run(["--bogus"])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("usage: har"), run.stderr)
    }

    func testStandardInputRunsAsAScriptAndStopsAtTheFirstError() throws {
        let run = try HarBinary.run(["--no-rc"], input: "set batch 4\nset lr \\\n  -1\nshow batch\n")
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("error: <stdin>:2: invalid value '-1' for lr"), run.stderr)
        XCTAssertFalse(run.stdout.contains("batch  4"))
    }

    func testScriptFileErrorsNameFileAndLine() throws {
        let script = temporaryFolder().appendingPathComponent("s.har")
        try "set lr 0.1\n\nmodel atn+lstm\n".write(to: script, atomically: true, encoding: .utf8)
        let run = try HarBinary.run(["--no-rc", script.path])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("\(script.path):3: unknown model 'atn+lstm' — did you mean 'attn+lstm'?"), run.stderr)
    }

    func testJSONModePrintsOneObjectPerCommandOnStdout() throws {
        let run = try HarBinary.run(["--no-rc", "--json", "-c", "set lr 1e-3; show lr; set batch 0"])
        XCTAssertEqual(run.status, 1)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3)
        let objects = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        XCTAssertEqual(objects.map { $0?["command"] as? String }, ["set", "show", "set"])
        XCTAssertEqual(objects.map { $0?["ok"] as? Bool }, [true, true, false])
        XCTAssertEqual(objects[2]?["position"] as? Int, 32)
        XCTAssertTrue(run.stderr.contains("lr = 0.001"), "messages go to stderr under --json")
    }

    func testInterruptWhileReadingAScriptExits130() throws {
        let process = Process()
        process.executableURL = try HarBinary.required()
        process.arguments = ["--no-rc"]
        process.environment = ["HOME": temporaryFolder().path]
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        // A har that neither echoes nor exits on Ctrl-C is killed after 60 s (ending the read below) and fails the test.
        let deadline = ProcessDeadline(killing: process, after: 60)
        stdin.fileHandleForWriting.write(Data("set batch 5\n".utf8))
        let echoed = stdout.fileHandleForReading.availableData
        XCTAssertTrue(String(decoding: echoed, as: UTF8.self).contains("batch = 5"), "the line runs as soon as it arrives")
        process.interrupt()
        process.waitUntilExit()
        try deadline.check("har reading a script, interrupted")
        XCTAssertEqual(process.terminationReason, .exit)
        XCTAssertEqual(process.terminationStatus, 130)
    }
}

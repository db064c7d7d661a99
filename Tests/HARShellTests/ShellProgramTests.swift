import XCTest
import HARKit
@testable import HARShell
import TestSupport

/// A line source that hands out prepared lines, then the end of input.
private final class ScriptedLines: LineSource {
    var inputs: [LineInput]
    var history: [String] = []
    var prompts: [String] = []

    init(_ inputs: [LineInput]) { self.inputs = inputs }

    func readLine(prompt: String) -> LineInput {
        prompts.append(prompt)
        return inputs.isEmpty ? .end : inputs.removeFirst()
    }

    func addHistory(_ line: String) { history.append(line) }
}

final class ShellProgramTests: ThreadRestoringTestCase {
    private let noTerminals = ShellProgram.Terminals(input: false, output: false, error: false)

    private func program(_ arguments: [String], home: URL = temporaryFolder()) throws -> (ShellProgram, OutputBuffer) {
        let buffer = OutputBuffer()
        let program = ShellProgram(invocation: try Invocation.parse(arguments), environment: ["HOME": home.path],
                                   terminals: noTerminals, output: buffer)
        return (program, buffer)
    }

    func testCommandsSucceedWithStatusZero() throws {
        let (program, _) = try program(["-c", "set lr 0.1", "-c", "set batch 8"])
        XCTAssertEqual(program.run(), 0)
        XCTAssertEqual(program.interpreter.session.config.batchSize, 8)
    }

    func testAFailingCommandStopsWithStatusOne() throws {
        let (program, _) = try program(["-c", "set lr -1", "-c", "set batch 8"])
        XCTAssertEqual(program.run(), 1)
        XCTAssertEqual(program.interpreter.session.config.batchSize, 128)
    }

    func testKeepGoingRunsTheRestButStillFails() throws {
        let (program, _) = try program(["--keep-going", "-c", "set lr -1", "-c", "set batch 8"])
        XCTAssertEqual(program.run(), 1)
        XCTAssertEqual(program.interpreter.session.config.batchSize, 8)
    }

    func testScriptsRunInOrderAndAMissingScriptIsABadInvocation() throws {
        let folder = temporaryFolder()
        let a = folder.appendingPathComponent("a.har"), b = folder.appendingPathComponent("b.har")
        try "set lr 0.3\n".write(to: a, atomically: true, encoding: .utf8)
        try "set lr 0.4\nset batch 4\n".write(to: b, atomically: true, encoding: .utf8)
        let (ok, _) = try program([a.path, b.path])
        XCTAssertEqual(ok.run(), 0)
        XCTAssertEqual(ok.interpreter.session.config.learningRate, 0.4)
        let (missing, out) = try program([a.path, folder.appendingPathComponent("none.har").path])
        XCTAssertEqual(missing.run(), 2)
        XCTAssertEqual(missing.interpreter.session.config.learningRate, 5e-4, "nothing runs on a bad invocation")
        XCTAssertTrue(out.errors.last?.error.message.contains("cannot read script") == true)
    }

    func testQuitInAScriptEndsIt() throws {
        let (program, _) = try program(["-c", "set lr 0.1; quit", "-c", "set lr 0.2"])
        XCTAssertEqual(program.run(), 0)
        XCTAssertEqual(program.interpreter.session.config.learningRate, 0.1)
    }

    func testStartupFileRunsFirstUnlessNoRC() throws {
        let home = temporaryFolder()
        try "set batch 7\n".write(to: home.appendingPathComponent(".harrc"), atomically: true, encoding: .utf8)
        let (withRC, _) = try program(["-c", "status"], home: home)
        XCTAssertEqual(withRC.run(), 0)
        XCTAssertEqual(withRC.interpreter.session.config.batchSize, 7)
        let (without, _) = try program(["--no-rc", "-c", "status"], home: home)
        XCTAssertEqual(without.run(), 0)
        XCTAssertEqual(without.interpreter.session.config.batchSize, 128)
    }

    func testVersionAndHelpPrintAndSucceed() throws {
        let (version, out) = try program(["--version"])
        XCTAssertEqual(version.run(), 0)
        XCTAssertTrue(out.lines.first?.hasPrefix("har ") == true)
        let (help, helpOut) = try program(["--help"])
        XCTAssertEqual(help.run(), 0)
        XCTAssertTrue(helpOut.lines.first?.hasPrefix("usage: har") == true)
    }

    func testInteractiveLoopJoinsContinuationsSkipsInterruptsAndEndsAtEOF() throws {
        let (program, _) = try program(["-i"])
        let input = ScriptedLines([.line("set lr \\"), .line("0.2"), .interrupted, .line("   "), .line("set batch -3"),
                                   .line("set batch 3")])
        XCTAssertEqual(program.interact(input), 0)
        XCTAssertEqual(program.interpreter.session.config.learningRate, 0.2)
        XCTAssertEqual(program.interpreter.session.config.batchSize, 3)
        XCTAssertEqual(input.history, ["set lr  0.2", "set batch -3", "set batch 3"])
        XCTAssertEqual(input.prompts.prefix(3), ["har> ", "...> ", "har> "])
    }

    func testInteractiveQuitLeavesWithZeroEvenAfterErrors() throws {
        let (program, _) = try program([])
        let input = ScriptedLines([.line("trian"), .line("quit"), .line("set lr 0.9")])
        XCTAssertEqual(program.interact(input), 0)
        XCTAssertEqual(program.interpreter.session.config.learningRate, 5e-4)
    }

    func testInteractiveAfterAFailingScriptWithDashI() throws {
        let (program, _) = try program(["-i", "-c", "set lr -1"])
        XCTAssertEqual(program.run(interactiveInput: { ScriptedLines([.line("set lr 0.05")]) }), 0)
        XCTAssertEqual(program.interpreter.session.config.learningRate, 0.05)
    }

    func testInterruptBetweenStepsGivesStatus130() throws {
        let invocation = try Invocation.parse(["-c", "status", "-c", "set lr 0.1"])
        let program = ShellProgram(invocation: invocation, environment: ["HOME": temporaryFolder().path],
                                   terminals: noTerminals, output: OutputBuffer(), isInterrupted: { true })
        XCTAssertEqual(program.run(), 130)
        XCTAssertEqual(program.interpreter.session.config.learningRate, 5e-4)
    }

    func testCompletionSeesTheSession() throws {
        let (program, _) = try program([])
        XCTAssertEqual(program.complete("sta").candidates, ["status"])
    }
}

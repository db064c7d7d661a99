import XCTest
@testable import HARShell
import TestSupport

final class SessionCommandTests: IsolatedTestCase {
    func testHelpListsEveryCommandOfTheTable() {
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.execute("help"), .success)
        XCTAssertEqual(out.results.last?["commands"]?.arrayValue?.compactMap(\.stringValue), CommandTable.all.map(\.name))
        for spec in CommandTable.all {
            XCTAssertTrue(out.lines.contains { $0.hasPrefix("  \(spec.name) ") }, spec.name)
        }
    }

    func testHelpForOneCommandShowsUsageAndExamples() {
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.execute("?train"), .success)
        XCTAssertEqual(out.lines.first, "usage: train [EPOCHS] [continue]")
        XCTAssertTrue(out.lines.contains("  train 30"))
        XCTAssertEqual(out.results.last?["topic"], .string("train"))
    }

    func testHelpForAnAliasShowsTheCommand() {
        let (shell, out) = makeInterpreter()
        shell.execute("help exit")
        XCTAssertEqual(out.results.last?["topic"], .string("quit"))
    }

    func testHelpForAnUnknownCommandSuggests() {
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.execute("help trian"), .failure)
        XCTAssertEqual(out.errors.last?.error, ShellError("unknown command 'trian' — did you mean 'train'?", at: 5))
    }

    func testEveryCommandHasUsageSummaryAndAnExample() {
        for spec in CommandTable.all {
            XCTAssertTrue(spec.usage.hasPrefix(spec.name), spec.name)
            XCTAssertFalse(spec.summary.isEmpty, spec.name)
            XCTAssertFalse(spec.examples.isEmpty, spec.name)
        }
        XCTAssertEqual(Set(CommandTable.words).count, CommandTable.words.count, "command words are unique")
    }

    func testUnknownCommandSuggestsAndPointsAtIt() {
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.execute("set lr 0.1; trian 3"), .failure)
        XCTAssertEqual(out.errors.last?.error, ShellError("unknown command 'trian' — did you mean 'train'?", at: 12))
        XCTAssertEqual(out.results.last?.json.serialized,
                       #"{"command":"trian","ok":false,"error":"unknown command 'trian' — did you mean 'train'?","position":12}"#)
        XCTAssertEqual(shell.session.config.learningRate, 0.1, "the command before the failing one keeps its effect")
    }

    func testALineStopsAtItsFirstFailingCommand() {
        let (shell, _) = makeInterpreter()
        XCTAssertEqual(shell.execute("set batch 0; set lr 0.1"), .failure)
        XCTAssertEqual(shell.session.config.learningRate, 5e-4)
    }

    func testStatusReportsTheConfig() {
        let (shell, out) = makeInterpreter()
        shell.execute("set optimizer sgd; status")
        let result = out.results.last
        XCTAssertEqual(result?["dataset"], .null)
        XCTAssertEqual(result?["config"]?["optimizer"], .string("sgd"))
        XCTAssertTrue(out.lines.contains { $0.hasPrefix("optimizer  sgd lr 0.0005") })
    }

    func testResetAllRestoresDefaultsButKeepsHistory() {
        let (shell, _) = makeInterpreter()
        shell.execute("set lr 0.1")
        XCTAssertEqual(shell.execute("reset"), .success)
        XCTAssertEqual(shell.session.config, .init())
        XCTAssertEqual(shell.session.history.map(\.command), ["set lr 0.1", "reset"])
    }

    func testResetRejectsAnUnknownScope() {
        let (shell, out) = makeInterpreter()
        shell.execute("set lr 0.1")
        XCTAssertEqual(shell.execute("reset modle"), .failure)
        XCTAssertEqual(out.errors.last?.error.message, "unknown reset scope 'modle' — did you mean 'model'?")
        XCTAssertEqual(shell.session.config.learningRate, 0.1)
    }

    func testHistoryListsCommandsAndMarksFailures() {
        let (shell, out) = makeInterpreter()
        shell.execute("set lr 0.1")
        shell.execute("set lr -1")
        shell.execute("history 2")
        XCTAssertEqual(Array(out.lines.suffix(2)), ["    1  set lr 0.1", "    2! set lr -1"])
        let entries = out.results.last?["history"]?.arrayValue ?? []
        XCTAssertEqual(entries.map { $0["command"]?.stringValue }, ["set lr 0.1", "set lr -1"])
        XCTAssertEqual(entries.map { $0["ok"]?.boolValue }, [true, false])
    }

    func testHistoryRejectsABadCount() {
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.execute("history 0"), .failure)
        XCTAssertEqual(out.errors.last?.error.position, 8)
    }

    func testHistorySaveWritesSuccessfulReplayableCommandsThatReplay() throws {
        let folder = temporaryFolder()
        let file = folder.appendingPathComponent("session.har")
        let (shell, _) = makeInterpreter()
        shell.execute("set lr 0.01; set batch 0")
        shell.execute("show; set batch 32; help")
        XCTAssertEqual(shell.execute("history save \"\(file.path)\""), .success)
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.filter { !$0.hasPrefix("#") }, ["set lr 0.01", "set batch 32"])
        let (replay, _) = makeInterpreter()
        XCTAssertEqual(replay.execute("run \"\(file.path)\""), .success)
        XCTAssertEqual(replay.session.config, shell.session.config)
    }

    func testHistorySaveToAMissingFolderFailsAndWritesNothing() {
        let (shell, out) = makeInterpreter()
        let target = temporaryFolder().appendingPathComponent("no/such/dir.har")
        XCTAssertEqual(shell.execute("history save \(target.path)"), .failure)
        XCTAssertTrue(out.errors.last?.error.message.contains(target.path) == true)
        XCTAssertFalse(FileManager.default.fileExists(atPath: target.path))
    }

    func testRecordAppendsEachSuccessfulReplayableCommand() throws {
        let file = temporaryFolder().appendingPathComponent("rec.har")
        let (shell, _) = makeInterpreter()
        shell.execute("set lr 0.3")
        XCTAssertEqual(shell.execute("record \(file.path)"), .success)
        shell.execute("set batch 16; set batch -1")
        shell.execute("show lr; set optimizer sgd")
        shell.execute("record off")
        shell.execute("set seed 9")
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasPrefix("# recorded by har"))
        XCTAssertEqual(Array(lines.dropFirst()), ["# the session before 'record':", "set lr 0.3", "# recorded:", "set batch 16", "set optimizer sgd"],
                       "a new file begins with what recreates the session (issue 20)")
        XCTAssertNil(shell.session.recording)
    }

    func testRecordAppendsToAnExistingScript() throws {
        let file = temporaryFolder().appendingPathComponent("rec.har")
        try "set lr 0.5\n".write(to: file, atomically: true, encoding: .utf8)
        let (shell, _) = makeInterpreter()
        shell.execute("record \(file.path); set batch 8")
        let text = try String(contentsOf: file, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("set lr 0.5\n# recorded by har"))
        XCTAssertTrue(text.hasSuffix("set batch 8\n"))
    }

    func testRecordOffWhenNotRecordingFails() {
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.execute("record off"), .failure)
        XCTAssertEqual(out.errors.last?.error, ShellError("not recording", at: 7))
    }

    func testRecordIntoAMissingFolderFailsAndDoesNotStartRecording() {
        let (shell, _) = makeInterpreter()
        XCTAssertEqual(shell.execute("record /nonexistent/folder/x.har"), .failure)
        XCTAssertNil(shell.session.recording)
    }

    func testRunExecutesAScriptWithContinuationLines() throws {
        let script = temporaryFolder().appendingPathComponent("setup.har")
        try "# settings\nset lr \\\n 0.02\nset batch 16 # small\n".write(to: script, atomically: true, encoding: .utf8)
        let (shell, _) = makeInterpreter()
        XCTAssertEqual(shell.execute("run \(script.path)"), .success)
        XCTAssertEqual(shell.session.config.learningRate, 0.02)
        XCTAssertEqual(shell.session.config.batchSize, 16)
        XCTAssertEqual(shell.session.history.map(\.command), ["run \(script.path)"], "nested commands stay out of history")
    }

    func testRunStopsAtTheFirstErrorAndReportsFileAndLine() throws {
        let script = temporaryFolder().appendingPathComponent("bad.har")
        try "set lr 0.02\n\nmodel atn+lstm\nset batch 16\n".write(to: script, atomically: true, encoding: .utf8)
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.execute("run \(script.path)"), .failure)
        XCTAssertEqual(out.errors.first?.origin, "\(script.path):3")
        XCTAssertEqual(out.errors.first?.error.position, 6)
        XCTAssertTrue(out.errors.first?.error.message.hasPrefix("unknown model 'atn+lstm' — did you mean 'attn+lstm'?") == true)
        XCTAssertEqual(out.errors.first?.source, "model atn+lstm")
        XCTAssertEqual(shell.session.config.learningRate, 0.02)
        XCTAssertEqual(shell.session.config.batchSize, 128)
    }

    func testRunOfAMissingFileFailsAtTheFileName() {
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.execute("run nowhere.har"), .failure)
        XCTAssertEqual(out.errors.last?.error.position, 4)
        XCTAssertTrue(out.errors.last?.error.message.contains("no such file") == true)
    }

    func testRunOfAScriptThatRunsItselfStopsAtTheDepthLimit() throws {
        let script = temporaryFolder().appendingPathComponent("loop.har")
        try "run \(script.path)\n".write(to: script, atomically: true, encoding: .utf8)
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.execute("run \(script.path)"), .failure)
        XCTAssertTrue(out.errors.contains { $0.error.message.contains("nested more than 16 deep") })
    }

    func testQuitEndsTheLineWithQuitOutcome() {
        let (shell, _) = makeInterpreter()
        XCTAssertEqual(shell.execute("set lr 0.1; quit; set lr 0.2"), .quit)
        XCTAssertEqual(shell.session.config.learningRate, 0.1)
        XCTAssertEqual(shell.execute("exit"), .quit)
        XCTAssertEqual(shell.execute("quit now"), .failure)
    }

    func testParseErrorsAreReportedWithPosition() {
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.execute("record \"x"), .failure)
        XCTAssertEqual(out.results.last?["position"], .int(7))
        XCTAssertEqual(out.results.last?["ok"], nil, "ok is a top-level member, not a field")
        XCTAssertEqual(out.results.last?.ok, false)
    }
}

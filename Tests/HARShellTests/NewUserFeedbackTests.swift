import Foundation
import XCTest
import HARKit
@testable import HARShell
import TestSupport

/// A new user's first hour (issue 20 §2, §3, §6): settings that say when they apply and warn on likely mistakes,
/// a continuable learning-rate schedule, progress and Ctrl-C on every long step, and the smaller surprises.
/// In-process on small synthetic windows (32 × 6) and a tiny attention model; each test trains a few epochs at most.
final class NewUserFeedbackTests: ThreadRestoringTestCase {
    private func preparedShell() -> (Interpreter, OutputBuffer) {
        let (shell, out) = makeInterpreter()
        shell.timingRepetitions = 1
        XCTAssertEqual(shell.execute("load synthetic window=32 overlap=0; model sa width=4 depth=1; set batch 128"), .success,
                       out.errors.map(\.error.message).joined(separator: "; "))
        return (shell, out)
    }

    private func program(_ arguments: [String], interrupted: @escaping () -> Bool = { false }) throws -> (ShellProgram, OutputBuffer) {
        let buffer = OutputBuffer()
        let program = ShellProgram(invocation: try Invocation.parse(arguments), environment: ["HOME": temporaryFolder().path],
                                   terminals: ShellProgram.Terminals(input: false, output: false, error: false), output: buffer,
                                   isInterrupted: interrupted)
        return (program, buffer)
    }

    // MARK: §2 settings that do what they say

    func testLikelyMistakesWarnAtOnceAndSensibleValuesDoNot() {
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.execute("set lr 10"), .success)
        XCTAssertTrue(out.warnings.last?.contains("lr 10 is far above") == true, out.warnings.joined())
        XCTAssertEqual(shell.execute("set lr 1e-9; set wd 5"), .success)
        XCTAssertEqual(out.warnings.count, 3, out.warnings.joined(separator: " | "))
        out.clear()
        XCTAssertEqual(shell.execute("set lr 1e-3; set wd 0.01; set batch 64"), .success)
        XCTAssertEqual(out.warnings, [])
    }

    func testSetValSaysItAppliesAtTheNextLoadAndInfoNamesTheValidationSubjects() throws {
        let (shell, out) = preparedShell()
        let before = try XCTUnwrap(shell.session.dataset).subjects(in: .validation)
        XCTAssertEqual(before.count, 2, "val 0.1 of the 15 training subjects, rounded")
        XCTAssertEqual(shell.execute("set val 0.5"), .success)
        let listed = before.map(String.init).joined(separator: " ")
        XCTAssertTrue(out.lines.contains("applies at the next 'load': the loaded synthetic keeps val 0.1 (validation subjects \(listed))"),
                      out.transcript)
        XCTAssertEqual(shell.session.dataset?.subjects(in: .validation), before, "the loaded dataset is unchanged")
        XCTAssertEqual(shell.execute("load synthetic window=32 overlap=0"), .success)
        let after = try XCTUnwrap(shell.session.dataset).subjects(in: .validation)
        XCTAssertEqual(after.count, 8, "val 0.5 of 15 training subjects, rounded")
        out.clear()
        XCTAssertEqual(shell.execute("info"), .success)
        XCTAssertTrue(out.lines.contains { $0.hasPrefix("validation: val 0.5 held out subjects \(after.map(String.init).joined(separator: " ")) of the training subjects") },
                      out.transcript)
    }

    func testTrainContinueGoesOnWithTheScheduleAndHelpSaysSo() throws {
        let (shell, out) = preparedShell()
        func rates() -> [Double] { out.results.filter { $0["epoch"] != nil }.compactMap { $0["lr"]?.doubleValue } }
        XCTAssertEqual(shell.execute("set lr 0.01; set gamma 0.5; set step 1; train 2"), .success)
        XCTAssertEqual(rates(), [0.01, 0.005])
        out.clear()
        XCTAssertEqual(shell.execute("train 2 continue"), .success, out.errors.map(\.error.message).joined())
        XCTAssertEqual(rates(), [0.0025, 0.00125], "epochs 3 and 4 of the schedule")
        XCTAssertTrue(out.lines.contains("continuing the learning-rate schedule after its epoch 2"), out.transcript)
        out.clear()
        XCTAssertEqual(shell.execute("train 1"), .success)
        XCTAssertEqual(rates(), [0.01], "a plain train restarts the schedule")
        XCTAssertEqual(shell.execute("train continue continue"), .failure)
        out.clear()
        XCTAssertEqual(shell.execute("help train"), .success)
        XCTAssertTrue(out.transcript.contains("`train N continue` goes on with the previous train's schedule"), out.transcript)
    }

    // MARK: §3 feedback on every long step, and Ctrl-C everywhere

    func testEvalShowsProgressAndCtrlCStopsItWithoutRecording() throws {
        let (shell, out) = preparedShell()
        XCTAssertEqual(shell.execute("train 1; eval"), .success)
        let reports = out.progressReports.filter { $0.label == "eval test" }
        XCTAssertFalse(reports.isEmpty)
        XCTAssertEqual(reports.last?.done, reports.last?.total)
        let evaluated = try XCTUnwrap(shell.session.lastEvaluation).predictions
        shell.shouldStop = { true }
        XCTAssertEqual(shell.execute("eval train"), .failure)
        XCTAssertTrue(out.errors.last?.error.message.hasPrefix("evaluation of the train split stopped after 0 of") == true,
                      out.errors.last?.error.message ?? "")
        XCTAssertEqual(shell.session.lastEvaluation?.predictions, evaluated, "the earlier evaluation stays")
        XCTAssertEqual(shell.session.currentRun?.evaluation?.split, "test")
    }

    /// Two folds of one epoch, then two trials of two epochs.
    func testCrossValidationAndTuningShowOneBarOverAllTheirEpochs() throws {
        let (shell, out) = preparedShell()
        XCTAssertEqual(shell.execute("cv folds=2 epochs=1"), .success, out.errors.map(\.error.message).joined())
        let folds = out.progressReports.filter { $0.label.hasPrefix("fold ") }
        XCTAssertTrue(folds.contains { $0.label.hasPrefix("fold 2/2, epoch 1, batch ") }, folds.map(\.label).joined(separator: "\n"))
        XCTAssertEqual(Set(folds.map(\.total)), [2])
        XCTAssertEqual(folds.last?.done, 2)
        let firstEpoch = folds.prefix { $0.done == 0 }
        XCTAssertNotNil(firstEpoch.last?.remaining, "an ETA from the first epoch's batches on")
        XCTAssertEqual(firstEpoch.map(\.exactDone), firstEpoch.map(\.exactDone).sorted(), "the bar only moves forward")
        out.clear()
        XCTAssertEqual(shell.execute("tune lr=1e-3..1e-2:log trials=2 epochs=2"), .success, out.errors.map(\.error.message).joined())
        let trials = out.progressReports.filter { $0.label.hasPrefix("trial ") }
        XCTAssertEqual(Set(trials.map(\.total)), [4])
        XCTAssertEqual(trials.last?.done, 4)
        XCTAssertTrue(trials.contains { $0.label.hasPrefix("trial 2/2, epoch 2") })
    }

    func testABarCountsTheUnitUnderWayInPart() {
        let progress = Progress(label: "fold 1/2, epoch 1, batch 5/10", done: 0, total: 4, elapsed: 10, exactDone: 0.5)
        XCTAssertEqual(ProgressBar.render(progress, width: 8), "fold 1/2, epoch 1, batch 5/10 [#.......] 0/4  0:10 eta 1:10")
        XCTAssertEqual(Progress(label: "", done: 1, total: 4, elapsed: 3).remaining, 9, "whole units as before")
    }

    func testCtrlCStopsTheRestOfTheLine() {
        let (shell, out) = preparedShell()
        shell.shouldStop = { out.results.contains { $0["epoch"] != nil } }
        XCTAssertEqual(shell.execute("train 5; set lr 0.3; eval"), .failure)
        XCTAssertEqual(shell.session.config.learningRate, 5e-4, "nothing after the interrupted train ran")
        XCTAssertNil(shell.session.lastEvaluation)
    }

    /// The shape of `har -c "…; train 30; eval; runs"` with Ctrl-C in the training: status 130, no `eval`
    /// (about 5 s in a debug build: it opens a run store and trains one epoch).
    func testAnInterruptedCommandLineExitsWith130() throws {
        var stop = false
        let (program, out) = try program(["-c", "load synthetic window=32 overlap=0; model sa width=4 depth=1; set batch 128; train 5; eval; runs"],
                                         interrupted: { stop })
        program.interpreter.shouldStop = { stop = stop || out.results.contains { $0["epoch"] != nil }; return stop }
        XCTAssertEqual(program.run(), ShellProgram.ExitStatus.interrupted)
        XCTAssertFalse(out.results.contains { $0.command == "eval" || $0.command == "runs" }, out.transcript)
    }

    /// The same through the binary and a real SIGINT (the shape of `TrainingFaultTests`' SIGINT test): `train 1000`
    /// interrupted in its first epochs exits 130 without running `info` (which never polls Ctrl-C itself), `eval` or `runs`.
    func testSIGINTInACommandLineStopsTheLineThroughTheBinary() throws {
        let binary = try HarBinary.required()
        let folder = temporaryFolder()
        let process = Process()
        process.executableURL = binary
        process.arguments = ["--no-rc", "--quiet", "-c", "load synthetic window=32 overlap=0; model sa width=4 depth=1; train 1000; info; eval; runs"]
        process.environment = ["HOME": folder.path, "HAR_RUNS": folder.appendingPathComponent("runs.sqlite").path]
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        // A `train 1000` that ignored Ctrl-C would run for hours: killed after 5 minutes, failing the test.
        let deadline = ProcessDeadline(killing: process, after: 300)
        var seen = Data()
        while process.isRunning, !String(decoding: seen, as: UTF8.self).contains("val F1") {
            seen += stdout.fileHandleForReading.availableData
        }
        process.interrupt()
        seen += stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try deadline.check("har -c …; train 1000; info; eval; runs, interrupted")
        let text = String(decoding: seen, as: UTF8.self)
        XCTAssertEqual(process.terminationStatus, ShellProgram.ExitStatus.interrupted, text)
        XCTAssertTrue(text.contains("by Ctrl-C"), text)
        XCTAssertFalse(text.contains("test subjects:") || text.contains("accuracy") || text.contains("ms/window"),
                       "neither info, eval nor runs ran:\n\(text)")
    }

    // MARK: §6 smaller things

    func testKeepGoingAppliesWithinOneCommandLine() throws {
        let (program, _) = try program(["--keep-going", "-c", "set lr -1; set batch 8"])
        XCTAssertEqual(program.run(), ShellProgram.ExitStatus.failure)
        XCTAssertEqual(program.interpreter.session.config.batchSize, 8)
        let (stopping, _) = try self.program(["-c", "set lr -1; set batch 8"])
        XCTAssertEqual(stopping.run(), ShellProgram.ExitStatus.failure)
        XCTAssertEqual(stopping.interpreter.session.config.batchSize, 128)
    }

    func testARecordingStartedMidSessionReplaysFromAFreshSession() throws {
        let (shell, out) = preparedShell()
        let file = temporaryFolder().appendingPathComponent("rec.har")
        XCTAssertEqual(shell.execute("set lr 0.002; info; record \"\(file.path)\"; set epochs 1; train; record off"), .success)
        let text = try String(contentsOf: file, encoding: .utf8)
        let lines = ScriptReader.lines(of: text).map(\.text).filter { !$0.hasPrefix("#") }
        XCTAssertEqual(lines, ["load synthetic window=32 overlap=0", "model sa width=4 depth=1", "set batch 128", "set lr 0.002",
                               "set epochs 1", "train"])
        XCTAssertTrue(out.transcript.contains("after the 4 that recreate the session so far"), out.transcript)
        let (fresh, freshOut) = makeInterpreter()
        XCTAssertEqual(fresh.execute("run \"\(file.path)\""), .success, freshOut.errors.map(\.error.message).joined())
        XCTAssertEqual(fresh.session.config.learningRate, 0.002)
        XCTAssertEqual(fresh.session.runs.last?.epochs.count, 1)
    }

    func testHistorySaveWritesTheEpochsACancelledTrainRan() throws {
        let (shell, out) = preparedShell()
        shell.shouldStop = { out.results.contains { $0["epoch"] != nil } }
        shell.execute("train 20")
        shell.shouldStop = { false }
        XCTAssertEqual(shell.session.runs.last?.epochs.count, 1)
        let file = temporaryFolder().appendingPathComponent("session.har")
        XCTAssertEqual(shell.execute("history save \"\(file.path)\""), .success)
        let lines = ScriptReader.lines(of: try String(contentsOf: file, encoding: .utf8)).map(\.text).filter { !$0.hasPrefix("#") }
        XCTAssertEqual(lines.last, "train 1")
        XCTAssertEqual(shell.session.history.last { $0.command.hasPrefix("train") }?.command, "train 1")
    }

    func testAugmentListsWithoutASpaceAfterTheComma() throws {
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.execute("augment jitter, rotate=30,crop"), .success, out.errors.map(\.error.message).joined())
        XCTAssertEqual(shell.session.augmentation?.steps.count, 3)
        XCTAssertEqual(shell.execute("augment jitter,flip, scale=0.1,crop=0.8"), .success, out.errors.map(\.error.message).joined())
        XCTAssertEqual(shell.session.augmentation?.description, AugmentationPipeline(steps: [
            try Augmentation(name: "jitter", value: nil), try Augmentation(name: "flip", value: nil),
            try Augmentation(name: "scale", value: 0.1), try Augmentation(name: "crop", value: 0.8)]).description)
        XCTAssertEqual(shell.execute("augment jitter, rotate=30,crap"), .failure)
        XCTAssertEqual(out.errors.last?.error.position, 26, "the caret points at the misspelt item")
        XCTAssertEqual(shell.session.augmentation?.steps.count, 4, "a failed augment keeps the pipeline")
    }

    func testAnAmbiguousClassPrefixListsItsMatches() {
        let (shell, out) = preparedShell()
        XCTAssertEqual(shell.execute("inspect attention class=s"), .failure)
        XCTAssertEqual(out.errors.last?.error.message, "ambiguous class 's': it could be sitting or standing; write more of the name")
        XCTAssertEqual(shell.execute("inspect attention class=st"), .success)
    }

    func testEvalOfAnUntrainedModelWarns() {
        let (shell, out) = preparedShell()
        XCTAssertEqual(shell.execute("eval"), .success)
        XCTAssertEqual(out.warnings, ["sa depth=1 width=4 has never been trained: expect chance accuracy (run 'train' first)"])
        out.clear()
        XCTAssertEqual(shell.execute("train 1; eval"), .success)
        XCTAssertEqual(out.warnings, [])
    }

    func testTheDocumentedModelErrorIsWhatTheToolPrints() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/COMMANDS.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let start = try XCTUnwrap(text.range(of: "(`unknown model '"))
        let end = try XCTUnwrap(text.range(of: "`)", range: start.upperBound..<text.endIndex))
        let documented = String(text[text.index(start.lowerBound, offsetBy: 2)..<end.lowerBound])
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.execute("load synthetic window=32 overlap=0; model atn+lstm"), .failure)
        let message = try XCTUnwrap(out.errors.last?.error.message)
        XCTAssertTrue(message.hasPrefix(documented), "docs: \(documented)\ntool: \(message)")
        XCTAssertTrue(message.contains("STEM+READER"), "the valid forms include the hybrids: \(message)")
    }
}

import Foundation
import XCTest
import HARKit
import Torch
@testable import HARShell
import TestSupport

/// Training that goes wrong: a diverging loss, a model too large for memory, Ctrl-C at random moments
/// (in-process at a random batch of `train`, `tune` and `cv`; through the real binary with SIGINT).
final class TrainingFaultTests: IsolatedTestCase {
    private func preparedShell() -> (Interpreter, OutputBuffer) {
        let (shell, out) = makeInterpreter()
        shell.timingRepetitions = 1
        XCTAssertEqual(shell.execute("load synthetic window=32 overlap=0; model sa width=4 depth=1; set batch 64"), .success,
                       out.errors.map(\.error.message).joined())
        return (shell, out)
    }

    private func weightsAreFinite(_ shell: Interpreter) throws -> Bool {
        let model = try XCTUnwrap(shell.session.model)
        return try model.parameters.allSatisfy { try $0.scalars(as: Float.self).allSatisfy(\.isFinite) }
    }

    func testAHugeLearningRateStopsWithAClearMessageAndKeepsFiniteWeights() throws {
        let (shell, out) = preparedShell()
        XCTAssertEqual(shell.execute("train 1"), .success)
        XCTAssertEqual(shell.execute("set lr 1e30; set optimizer sgd"), .success, out.errors.map(\.error.message).joined())
        shell.execute("train 3")
        let said = (out.lines + out.errors.map(\.error.message)).joined(separator: "\n")
        XCTAssertTrue(said.contains("lower the learning rate"), said.suffix(600).description)
        XCTAssertTrue(try weightsAreFinite(shell), "the last good weights are restored")
        XCTAssertEqual(shell.execute("set lr 1e-3; train 1; eval"), .success, out.errors.map(\.error.message).joined())
    }

    func testABatchSizeOfIntMaxTrainsAsOneBatch() throws {
        let (shell, out) = preparedShell()
        XCTAssertEqual(shell.execute("set batch 9223372036854775807; train 1"), .success, out.errors.map(\.error.message).joined())
    }

    /// Found by the 100,000-input fuzz run: scaling an epoch count near Int.max trapped converting back to Int.
    func testAnEpochCountOfIntMaxTrainsUntilCtrlC() throws {
        let (shell, out) = preparedShell()
        shell.shouldStop = { true }
        XCTAssertEqual(shell.execute("set epochs 9223372036854775807; train"), .success, out.errors.map(\.error.message).joined())
        shell.epochScale = 2
        XCTAssertEqual(shell.execute("train"), .success, out.errors.map(\.error.message).joined())
        XCTAssertEqual(shell.scaledEpochs(Int.max), Int.max)
        shell.epochScale = 0.2
        XCTAssertEqual(shell.scaledEpochs(10), 2)
        XCTAssertEqual(shell.scaledEpochs(1), 1, "at least one epoch")
    }

    func testAnOutOfMemoryModelIsRejectedUpFrontWithTheEstimate() throws {
        let (shell, out) = preparedShell()
        let model = try XCTUnwrap(shell.session.model).spec
        for spec in ["lstm hidden=65536 layers=64", "transformer hidden=65536 heads=1 layers=1000", "deepconvlstm width=65536 depth=2"] {
            XCTAssertEqual(shell.execute("model \(spec)"), .failure, spec)
            let message = out.errors.last?.error.message ?? ""
            XCTAssertTrue(message.contains("parameters and need about") && message.contains("the limit here is"), message)
            XCTAssertNotNil(message.range(of: #"need about [0-9.]+ (GiB|TiB|PiB) to train"#, options: .regularExpression), message)
            XCTAssertEqual(shell.session.model?.spec, model, "the current model stays")
        }
    }

    func testTheEstimateMatchesTheBuiltModels() throws {
        let shape = InputShape(time: 32, channels: 6, classes: 6)
        for (text, options) in [("sa", [:]), ("cnn", ["width": "8"]), ("resnet", ["width": "8", "depth": "2"]), ("ca", [:]),
                                ("lstm", ["hidden": "32"]), ("gru", ["hidden": "16", "layers": "3"]), ("transformer", [:]),
                                ("sa+lstm", [:]), ("cnn+gru", [:]), ("sa+transformer", ["hidden": "32"]), ("deepconvlstm", ["width": "8", "hidden": "16"])] as [(String, [String: String])] {
            let spec = try ModelSpec(text, options: options)
            let built = Double(try ModelFactory.make(spec, input: shape).parameterCount)
            let estimate = ModelFactory.estimatedParameters(spec, input: shape)
            XCTAssertEqual(estimate, built, accuracy: 0.1 * built, "\(spec): estimate within 10 % of the built model")
        }
    }

    func testCtrlCAtARandomBatchKeepsTheSessionWorking() throws {
        var random = SeededGenerator(seed: 5, stream: 9)
        for command in ["train 3", "tune lr=1e-4..1e-2:log trials=3 epochs=1", "cv folds=2 epochs=1"] {
            for _ in 0..<StressMode.count(quick: 2, full: 10) {
                let (shell, out) = preparedShell()
                var polls = 0
                let stopAt = Int(random.next() % 40)
                shell.shouldStop = { polls += 1; return polls > stopAt }
                shell.execute(command)
                shell.shouldStop = { false }
                XCTAssertNotNil(shell.session.model, command)
                XCTAssertTrue(try weightsAreFinite(shell), command)
                let checkpoint = temporaryFolder().appendingPathComponent("interrupted.ckpt").path
                XCTAssertEqual(shell.execute("set epochs 1; train 1; eval; save model \"\(checkpoint)\""), .success,
                               "\(command) stopped after \(stopAt) polls: \(out.errors.map(\.error.message))")
            }
        }
    }

    func testSIGINTDuringTrainThroughTheBinaryEndsCleanly() throws {
        let binary = try HarBinary.required()
        var random = SeededGenerator(seed: 6, stream: 9)
        for trial in 0..<StressMode.count(quick: 2, full: 10) {
            let folder = temporaryFolder()
            let process = Process()
            process.executableURL = binary
            process.arguments = ["--no-rc", "--quiet", "-c", "load synthetic window=32 overlap=0; model sa width=4 depth=1; train 1000"]
            process.environment = ["HOME": folder.path, "HAR_RUNS": folder.appendingPathComponent("runs.sqlite").path]
            let stdout = Pipe()
            process.standardOutput = stdout
            process.standardError = FileHandle.nullDevice
            let launched = Date()
            try process.run()
            // `train 1000` that ignores Ctrl-C would run for hours: killed after 5 minutes, failing the trial.
            let deadline = ProcessDeadline(killing: process, after: 300)
            // Wait for the first epoch line, then interrupt at a random moment of a later epoch.
            var seen = Data()
            while process.isRunning, !String(decoding: seen, as: UTF8.self).contains("epoch") {
                seen += stdout.fileHandleForReading.availableData
            }
            let firstEpoch = Date().timeIntervalSince(launched)
            usleep(useconds_t(random.next() % 500_000))
            let interrupted = Date()
            process.interrupt()
            process.waitUntilExit()
            try deadline.check("trial \(trial): har train 1000, interrupted")
            let seconds = Date().timeIntervalSince(interrupted)
            XCTAssertEqual(process.terminationReason, .exit, "trial \(trial): exits, not killed by the signal")
            XCTAssertEqual(process.terminationStatus, 130, "trial \(trial)")
            // Relative, not a number of seconds: stopping (the current batch, recording the run, exiting) is less work than
            // starting (loading libtorch, opening the store, making the data and model) and training a whole epoch was.
            XCTAssertLessThan(seconds, firstEpoch, "trial \(trial): stops after the current batch (took \(seconds) s; starting and one epoch \(firstEpoch) s)")
            let store = try RunStore(url: folder.appendingPathComponent("runs.sqlite"))
            XCTAssertEqual(try store.runs().count, 1, "trial \(trial): the interrupted run is recorded")
        }
    }
}


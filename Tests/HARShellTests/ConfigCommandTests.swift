import HARKit
import XCTest
@testable import HARShell
import TestSupport

final class ConfigCommandTests: ThreadRestoringTestCase {
    /// `auto` (the default) means the CPUs this process may use, applied at once; more threads than that warns.
    func testSetThreadsAppliesAtOnceAndWarnsWhenItOversubscribes() {
        let (shell, out) = makeInterpreter()
        let cores = ThreadBudget.automatic()
        XCTAssertEqual(shell.execute("set threads \(cores.count + 1)"), .success)
        XCTAssertEqual(ThreadBudget.inEffect, cores.count + 1)
        XCTAssertEqual(out.warnings.count, 1)
        XCTAssertTrue(out.warnings.first?.contains("oversubscribe") == true, out.warnings.joined())
        XCTAssertEqual(shell.execute("set threads auto; status"), .success)
        XCTAssertEqual(ThreadBudget.inEffect, cores.count)
        XCTAssertEqual(out.warnings.count, 1, "auto never warns")
        XCTAssertEqual(out.results.last?["threads"], .int(cores.count))
        XCTAssertTrue(out.lines.contains("threads    \(cores)"), out.transcript)
        XCTAssertEqual(shell.execute("set threads 1"), .success)
        XCTAssertEqual(ThreadBudget.inEffect, 1)
        XCTAssertEqual(out.warnings.count, 1, "fewer threads than CPUs is no mistake")
    }
    func testSetChangesTheConfigAndReportsThePreviousValue() {
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.execute("set lr 1e-3"), .success)
        XCTAssertEqual(shell.session.config.learningRate, 1e-3)
        XCTAssertEqual(out.results.last?["previous"], .string("0.0005"))
        XCTAssertEqual(out.results.last?["value"], .string("0.001"))
    }

    func testEveryKeyAcceptsItsOwnDefaultAndShowListsThemAll() {
        let (shell, out) = makeInterpreter()
        for key in ConfigKey.all {
            XCTAssertEqual(shell.execute("set \(key.name) \(key.defaultValue)"), .success, key.name)
        }
        XCTAssertEqual(shell.session.config, .init())
        shell.execute("show")
        XCTAssertEqual(out.results.last?["settings"]?.arrayValue?.count, ConfigKey.all.count)
    }

    func testTypedValuesLandInTheirFields() {
        let (shell, _) = makeInterpreter()
        let lines = ["set batch 64", "set epochs 1e1", "set optimizer SGD", "set schedule cosine", "set dropout 0.25",
                     "set step 5", "set amp on", "set seed 42", "set threads 2", "set clip 1.5",
                     "set val 0", "set patience 3", "set min_delta 0.001", "set gamma 1", "set momentum 0"]
        for line in lines { XCTAssertEqual(shell.execute(line), .success, line) }
        let config = shell.session.config
        XCTAssertEqual(config.batchSize, 64)
        XCTAssertEqual(config.epochs, 10)
        XCTAssertEqual(config.optimizer, .sgd)
        XCTAssertEqual(config.schedule, .cosine)
        XCTAssertEqual(config.dropout, 0.25)
        XCTAssertEqual(config.stepSize, 5)
        XCTAssertEqual(config.mixedPrecision, .on)
        XCTAssertEqual(config.seed, 42)
        XCTAssertEqual(config.threads, 2)
        XCTAssertEqual(config.clipNorm, 1.5)
        XCTAssertEqual(config.validationFraction, 0)
        XCTAssertEqual(config.patience, 3)
        XCTAssertEqual(config.minDelta, 0.001)
        XCTAssertEqual(config.gamma, 1)
        XCTAssertEqual(config.momentum, 0)
    }

    func testOptionalKeysGoBackToTheirNoneWord() {
        let (shell, _) = makeInterpreter()
        shell.execute("set clip 2; set step 4; set dropout 0.1; set threads 3")
        XCTAssertEqual(shell.execute("set clip off; set step auto; set dropout model; set threads auto"), .success)
        XCTAssertEqual(shell.session.config, .init())
    }

    func testDefaultRestoresTheDefault() {
        let (shell, _) = makeInterpreter()
        shell.execute("set lr 0.1")
        XCTAssertEqual(shell.execute("set lr default"), .success)
        XCTAssertEqual(shell.session.config.learningRate, 5e-4)
    }

    func testInvalidValuesAreRejectedNamingKeyAndValueAndChangeNothing() {
        let cases = ["set lr 1e999", "set lr nan", "set lr -1", "set lr 0", "set lr inf", "set lr fast",
                     "set batch 0", "set batch 12.5", "set batch -4", "set epochs 0", "set dropout 1", "set dropout -0.1",
                     "set seed -1", "set seed 1.5", "set val 1", "set gamma 0", "set amp maybe",
                     "set threads 0", "set clip 0", "set wd -1e-3", "set step 0", "set momentum 1",
                     "set l1 nan", "set patience -1", "set label_smoothing 1"]
        for line in cases {
            let (shell, out) = makeInterpreter()
            shell.execute("set lr 0.01")
            let before = shell.session.config
            XCTAssertEqual(shell.execute(line), .failure, line)
            XCTAssertEqual(shell.session.config, before, line)
            let words = line.split(separator: " ")
            let error = out.errors.last?.error
            XCTAssertTrue(error?.message.contains("'\(words[2])'") == true, "\(line): \(error?.message ?? "")")
            XCTAssertTrue(error?.message.contains(String(words[1])) == true, "\(line): \(error?.message ?? "")")
            XCTAssertEqual(error?.position, line.count - words[2].count, line)
        }
    }

    /// `device` was accepted and stored, yet nothing moved a tensor: harlab computes on the CPU only (Debian's libtorch
    /// has no CUDA). On the code before its removal `set device cuda` succeeded, and this test failed.
    func testDeviceIsNotASettingSinceNothingWouldHonourIt() {
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.execute("set device cuda"), .failure)
        XCTAssertEqual(out.errors.last?.error.message.hasPrefix("unknown setting 'device'"), true, out.errors.last?.error.message ?? "")
        XCTAssertEqual(shell.execute("show device"), .failure)
        XCTAssertFalse(ConfigKey.all.contains { $0.name == "device" })
    }

    func testUnknownKeySuggestsTheNearest() {
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.execute("set lrr 0.1"), .failure)
        XCTAssertEqual(out.errors.last?.error, ShellError("unknown setting 'lrr' — did you mean 'lr'?", at: 4))
    }

    func testUnknownOptimizerSuggestsTheNearest() {
        let (shell, out) = makeInterpreter()
        shell.execute("set optimizer adamww")
        XCTAssertEqual(out.errors.last?.error.message, "unknown optimizer 'adamww' — did you mean 'adamw'?")
    }

    func testSetWithAnEqualsSignExplainsTheSyntax() {
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.execute("set lr=0.1"), .failure)
        XCTAssertEqual(out.errors.last?.error.message, "write 'set lr 0.1' (a space, not '=')")
    }

    func testSetNeedsKeyAndValueAndNothingMore() {
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.execute("set"), .failure)
        XCTAssertEqual(shell.execute("set lr"), .failure)
        XCTAssertTrue(out.errors.last?.error.message.contains("missing VALUE for lr") == true)
        XCTAssertEqual(shell.execute("set lr 0.1 0.2"), .failure)
        XCTAssertEqual(out.errors.last?.error.position, 11)
        XCTAssertEqual(shell.session.config, .init())
    }

    func testShowOneKeyGivesValueDefaultAndMeaning() {
        let (shell, out) = makeInterpreter()
        shell.execute("set batch 32; show batch")
        let setting = out.results.last?["settings"]?.arrayValue?.first
        XCTAssertEqual(setting?["key"], .string("batch"))
        XCTAssertEqual(setting?["value"], .string("32"))
        XCTAssertEqual(setting?["default"], .string("128"))
        XCTAssertEqual(setting?["meaning"], .string("windows per training batch"))
        XCTAssertTrue(out.lines.contains { $0.hasPrefix("batch  32 *") })
    }

    func testShowUnknownKeyFails() {
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.execute("show bach"), .failure)
        XCTAssertEqual(out.errors.last?.error, ShellError("unknown setting 'bach' — did you mean 'batch'?", at: 5))
    }
}

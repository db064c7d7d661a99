import XCTest
import HARKit
@testable import HARShell
import TestSupport

/// `set amp auto|on|off`: what it resolves to on this machine in `set`, `status` and `show`, the warning for `on`
/// without bfloat16 arithmetic, and the precision `train` records and `eval` and `runs` report. Which branch runs
/// depends on this machine's CPU; each branch asserts what that CPU must get (the decision itself, for every kind of
/// CPU, is in HARKitTests' `PrecisionChoiceTests`).
final class PrecisionCommandTests: IsolatedTestCase {
    let computesBFloat16 = CPUDescription.current.computesBFloat16
    var expected: String { computesBFloat16 ? "bfloat16" : "float32" }
    /// Whether bfloat16 is off because `ATEN_CPU_CAPABILITY` caps an AVX-512 BF16 CPU below AVX-512, not for want of it.
    let capped = CPUDescription.current.hasBFloat16Instructions && CPUDescription.current.capsBelowAVX512

    func testAmpTakesAutoOnOffAndTheOldBooleanWords() {
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.session.config.mixedPrecision, .auto, "auto is the default")
        for (word, mode) in [("on", PrecisionMode.on), ("off", .off), ("auto", .auto), ("true", .on), ("false", .off), ("AUTO", .auto)] {
            XCTAssertEqual(shell.execute("set amp \(word)"), .success, word)
            XCTAssertEqual(shell.session.config.mixedPrecision, mode, word)
        }
        XCTAssertEqual(shell.execute("set amp maybe"), .failure)
        XCTAssertEqual(out.errors.last?.error.message, "invalid value 'maybe' for amp: expected auto|on|off")
        XCTAssertEqual(out.errors.last?.error.position, 8, "the error points at the value")
        XCTAssertEqual(shell.session.config.mixedPrecision, .auto, "a rejected value changes nothing")
    }

    func testSetStatusAndShowSayWhatAutoResolvesToHereAndWhy() {
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.execute("set amp auto"), .success)
        XCTAssertTrue(out.lines.contains { $0.hasPrefix("training computes in \(expected) (auto: ") }, out.transcript)
        XCTAssertEqual(shell.execute("status"), .success)
        XCTAssertEqual(out.results.last?["train_precision"], .string(expected))
        let reason = computesBFloat16 ? "auto: the CPU computes bfloat16"
            : capped ? "auto: capped to" : "auto: the CPU has no bfloat16 arithmetic"
        XCTAssertTrue(out.results.last?["train_precision_reason"]?.stringValue?.hasPrefix(reason) == true, out.transcript)
        XCTAssertTrue(out.lines.contains { $0.hasPrefix("precision  \(expected) (\(reason)") }, out.transcript)
        XCTAssertEqual(shell.execute("set amp off; show amp"), .success)
        XCTAssertEqual(out.results.last?["train_precision"], .string("float32"))
        XCTAssertTrue(out.lines.contains("amp: training computes in float32 (off: as set)"), out.transcript)
        XCTAssertEqual(shell.execute("show lr"), .success)
        XCTAssertNil(out.results.last?["train_precision"], "only where amp is shown")
    }

    func testAmpOnWarnsAtOnceWhereTheCPUHasNoBFloat16Arithmetic() {
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.execute("set amp on"), .success)
        if computesBFloat16 {
            XCTAssertEqual(out.warnings, [], "this CPU computes bfloat16: amp on is no mistake")
        } else {
            XCTAssertEqual(out.warnings.count, 1, out.transcript)
            XCTAssertTrue(out.warnings.first?.contains(capped ? "caps this process below AVX-512" : "no bfloat16 arithmetic") == true, out.transcript)
        }
        XCTAssertEqual(shell.execute("set amp off; set amp auto"), .success)
        XCTAssertEqual(out.warnings.count, computesBFloat16 ? 0 : 1, "off and auto never warn")
    }

    /// Trains one epoch of a tiny model (a second or two).
    func testTrainRecordsThePrecisionAndEvalAndRunsReportIt() throws {
        let (shell, out) = makeInterpreter()
        let store = try RunStore(url: temporaryFolder().appendingPathComponent("runs.sqlite"))
        shell.runStore = store
        shell.timingRepetitions = 3
        XCTAssertEqual(shell.execute("load synthetic window=32 overlap=0; model sa width=4 depth=1; set batch 64"), .success)
        XCTAssertEqual(shell.execute("set amp off; train 1; eval"), .success, out.transcript)
        XCTAssertEqual(out.results.last?["eval_precision"], .string("float32"))
        XCTAssertEqual(out.results.last?["train_precision"], .string("float32"))
        XCTAssertTrue(out.lines.contains("computed in float32 (the model trained in float32)"), out.transcript)
        XCTAssertEqual(shell.execute("model sa width=4 depth=1; set amp auto; train 1; eval"), .success, out.transcript)
        XCTAssertEqual(out.results.last?["train_precision"], .string(expected))
        XCTAssertEqual(try store.runs().map(\.precision), [.float32, computesBFloat16 ? .bfloat16 : .float32])
        XCTAssertEqual(shell.execute("runs"), .success)
        let rows = try XCTUnwrap(out.results.last?["runs"]?.arrayValue)
        XCTAssertEqual(rows.map { $0["train_precision"] }, [.string("float32"), .string(expected)])
        XCTAssertTrue(out.lines.contains { $0.hasPrefix("run") && $0.contains("trained in") }, out.transcript)
    }
}

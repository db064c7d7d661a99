import Foundation
import XCTest
import HARKit
@testable import HARShell
import TestSupport

/// `set class_weights`, `set sampler` and per-subject results of `eval` and `cv` (issue 18 §3), through the shell.
final class ImbalanceCommandTests: IsolatedTestCase {
    /// Both settings read back in `show` and `status` and are recorded in the run store's settings of the run they trained.
    func testClassWeightsAndSamplerAreShownAndRecordedWithTheRun() throws {
        let (shell, out, store) = try makeStoreBackedInterpreter()
        XCTAssertEqual(shell.execute("set class_weights balanced; set sampler balanced"), .success, out.errorText)
        XCTAssertEqual(shell.execute("show class_weights"), .success)
        XCTAssertEqual(out.results.last?["settings"]?.arrayValue?.first?["value"], .string("balanced"))
        XCTAssertEqual(shell.execute("status"), .success)
        XCTAssertTrue(out.lines.contains { $0.contains("class_weights balanced, sampler balanced") }, out.transcript)
        XCTAssertEqual(out.results.last?["config"]?["sampler"], .string("balanced"))
        XCTAssertEqual(shell.execute("train 1"), .success, out.errorText)
        let run = try XCTUnwrap(try store.runs().last)
        XCTAssertEqual(run.config.classWeights, .balanced)
        XCTAssertEqual(run.config.sampler, .balanced)
        XCTAssertEqual(shell.execute("set class_weights walking:1,jogging:2.5; set sampler shuffle"), .success, out.errorText)
        XCTAssertEqual(shell.session.config.classWeights, .explicit([.init(name: "walking", weight: 1), .init(name: "jogging", weight: 2.5)]))
        XCTAssertNil(shell.session.config.sampler)
        XCTAssertEqual(shell.execute("set class_weights off"), .success)
        XCTAssertNil(shell.session.config.classWeights)
    }

    /// A weight naming no class of the loaded dataset fails at the value, naming the class, and changes nothing; so
    /// does a malformed one.
    func testAClassWeightNamingAnUnknownClassFailsAtTheWordAndChangesNothing() throws {
        let (shell, out, _) = try makeStoreBackedInterpreter()
        let before = shell.session.snapshot
        XCTAssertEqual(shell.execute("set class_weights walking:1,runing:3"), .failure)
        let error = try XCTUnwrap(out.errors.last?.error)
        XCTAssertTrue(error.message.contains("'runing'") && error.message.contains("jogging"), error.message)
        XCTAssertEqual(error.position, 18)
        XCTAssertEqual(shell.execute("set class_weights walking:fast"), .failure)
        XCTAssertTrue(out.errors.last?.error.message.contains("walking:fast") == true, out.errorText)
        XCTAssertEqual(shell.session.snapshot, before)
        XCTAssertEqual(shell.execute("set class_weights \"walking=1,jogging=2\""), .success, "the quoted form with '='")
        XCTAssertEqual(shell.session.config.classWeights?.description, "walking:1,jogging:2")
        XCTAssertEqual(shell.execute("set class_weights off"), .success)
    }

    /// `eval` gives each test subject's accuracy and macro F1 (text, `--json`, the run store), their spread and the
    /// worst subject; the figures agree with the pooled ones (windows add up; each subject's accuracy recomputed
    /// from the per-subject windows' share of the pooled correct count).
    func testEvalReportsPerSubjectScoresAndRecordsThem() throws {
        let (shell, out, store) = try makeStoreBackedInterpreter()
        XCTAssertEqual(shell.execute("train 1; eval"), .success, out.errorText)
        let result = try XCTUnwrap(out.results.last)
        let rows = try XCTUnwrap(result["per_subject"]?.arrayValue)
        XCTAssertEqual(rows.compactMap { $0["subject"]?.intValue }, Array(16...20), "the synthetic set's test subjects")
        let windows = rows.compactMap { $0["windows"]?.intValue }
        XCTAssertEqual(windows.reduce(0, +), shell.session.dataset?.indices(in: .test).count)
        let correct = zip(rows.compactMap { $0["accuracy"]?.doubleValue }, windows).reduce(0.0) { $0 + $1.0 * Double($1.1) }
        XCTAssertEqual(correct / Double(windows.reduce(0, +)), try XCTUnwrap(result["accuracy"]?.doubleValue), accuracy: 1e-9)
        let f1s = rows.compactMap { $0["f1_macro"]?.doubleValue }
        let spread = try XCTUnwrap(result["subject_spread"])
        XCTAssertEqual(try XCTUnwrap(spread["f1_macro_mean"]?.doubleValue), f1s.reduce(0, +) / Double(f1s.count), accuracy: 1e-12)
        XCTAssertEqual(spread["worst_subject"]?.intValue, rows[f1s.firstIndex(of: f1s.min()!)!]["subject"]?.intValue)
        XCTAssertTrue(out.lines.contains { $0.hasPrefix("per subject (5): accuracy") }, out.transcript)
        XCTAssertTrue(out.lines.contains { $0.contains("worst subject \(spread["worst_subject"]?.intValue ?? 0) (F1 ") }, out.transcript)
        let run = try XCTUnwrap(try store.runs().last)
        XCTAssertEqual(try store.subjectScores(of: run.id)?.rows.map(\.f1Macro), f1s)
    }

    /// `cv` gives every subject's held-out scores (a table when a fold holds out several), the spread and the worst
    /// subject, in text, `--json`, the run store (the cv run and each fold) and the report.
    func testCrossValidationReportsPerSubjectScoresInTheStoreAndTheReport() throws {
        let (shell, out, store) = try makeStoreBackedInterpreter()
        XCTAssertEqual(shell.execute("cv folds=2 epochs=1"), .success, out.errorText)
        let result = try XCTUnwrap(out.results.last)
        XCTAssertEqual(result["per_subject"]?.arrayValue?.compactMap { $0["subject"]?.intValue }, Array(1...20))
        XCTAssertNotNil(result["subject_spread"]?["worst_subject"]?.intValue)
        XCTAssertTrue(out.lines.contains { $0.hasPrefix("per subject (20)") }, out.transcript)
        XCTAssertTrue(out.lines.contains { $0.contains("subject") && $0.contains("windows") && $0.contains("accuracy") }, out.transcript)
        let cvRun = try XCTUnwrap(try store.runs().first { $0.kind == .cv })
        XCTAssertEqual(try store.subjectScores(of: cvRun.id)?.rows.count, 20)
        for fold in try store.members(of: cvRun.id) { XCTAssertEqual(try store.subjectScores(of: fold.id)?.rows.count, 10) }
        let page = temporaryFolder().appendingPathComponent("report.html")
        XCTAssertEqual(shell.execute("report to \(page.path)"), .success, out.errorText)
        let html = try String(contentsOf: page, encoding: .utf8)
        XCTAssertTrue(html.contains("Per subject") && html.contains("worst subject"), "the report's per-subject section")
    }
}

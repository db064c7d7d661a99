import Foundation
import XCTest
import HARKit
@testable import HARShell
import TestSupport

/// `model from #RUN|FILE [freeze=stem|stem_lr=F]` (issue 18 §2) through the shell.
final class ModelFromCommandTests: IsolatedTestCase {
    private func values(_ model: (any HARModel)?, prefix: String = "") throws -> [String: [Float]] {
        var all: [String: [Float]] = [:]
        for (name, tensor) in try XCTUnwrap(model).namedParameters() where name.hasPrefix(prefix) {
            all[name] = try tensor.scalars(as: Float.self)
        }
        return all
    }

    /// The run's checkpoint becomes the new model's starting weights (every tensor, same classes and channels); with
    /// `freeze=stem` the stem stays as loaded through a `train` while the head moves, and `show` says `stem_lr 0`.
    func testModelFromARunsCheckpointStartsFromItsWeightsAndFreezesTheStem() throws {
        let (shell, out, store) = try makeStoreBackedInterpreter(model: "cnn width=4 depth=1")
        let file = temporaryFolder().appendingPathComponent("cnn.ckpt").path
        XCTAssertEqual(shell.execute("train 1; save model \(file)"), .success, out.errorText)
        let trained = try values(shell.session.model)
        let run = try XCTUnwrap(try store.runs().last?.id)
        XCTAssertEqual(shell.execute("model from #\(run) freeze=stem"), .success, out.errorText)
        let result = try XCTUnwrap(out.results.last)
        XCTAssertEqual(result["copied"]?.arrayValue?.count, shell.session.model?.stateDict().entries.count)
        XCTAssertEqual(result["fresh"]?.arrayValue?.count, 0)
        XCTAssertEqual(result["stem_lr"]?.doubleValue, 0)
        XCTAssertTrue(out.lines.contains { $0.hasPrefix("from #\(run) (synthetic): copied") && $0.contains("stem frozen") }, out.transcript)
        XCTAssertEqual(try values(shell.session.model), trained, "the weights are the run's")
        XCTAssertEqual(shell.execute("show stem_lr"), .success)
        XCTAssertEqual(out.results.last?["settings"]?.arrayValue?.first?["value"], .string("0"))
        XCTAssertEqual(shell.execute("train 1"), .success, out.errorText)
        XCTAssertEqual(try values(shell.session.model, prefix: "body."), trained.filter { $0.key.hasPrefix("body.") }, "the frozen stem")
        XCTAssertNotEqual(try values(shell.session.model, prefix: "head."), trained.filter { $0.key.hasPrefix("head.") }, "the head trained")
        XCTAssertEqual(try store.runs().last?.config.stemLearningRate, 0, "recorded with the run's settings")
        XCTAssertEqual(shell.execute("model from \(file) stem_lr=0.1"), .success, out.errorText)
        XCTAssertEqual(shell.session.config.stemLearningRate, 0.1)
        XCTAssertEqual(shell.execute("model cnn width=4 depth=1"), .success, out.errorText)
        XCTAssertTrue(out.warnings.last?.hasPrefix("stem_lr is 0.1: this fresh model's stem will train at 0.1 × lr") == true,
                      "a fresh model under a slowed stem says so: \(out.warnings)")
    }

    /// A run trained after `model from` records where its weights came from — run N and the checkpoint file it saved, or
    /// the file alone — and `runs RUN` and `compare` show it; a model built fresh afterwards records none.
    func testARunStartedFromTrainedWeightsRecordsItsSource() throws {
        let (shell, out, store) = try makeStoreBackedInterpreter(model: "cnn width=4 depth=1")
        let file = temporaryFolder().appendingPathComponent("cnn.ckpt").path
        XCTAssertEqual(shell.execute("train 1; save model \(file)"), .success, out.errorText)
        let saver = try XCTUnwrap(try store.runs().last?.id)
        XCTAssertNil(try store.run(saver).source, "fresh weights")

        XCTAssertEqual(shell.execute("model from #\(saver); train 1; train 1"), .success, out.errorText)
        let fromRun = try XCTUnwrap(try store.runs().last)
        XCTAssertEqual(fromRun.source, ModelSource(run: saver, checkpoint: file))
        XCTAssertEqual(fromRun.epochCount, 2, "a later train continues the same run")
        XCTAssertEqual(shell.execute("runs \(fromRun.id)"), .success, out.errorText)
        let row = try XCTUnwrap(out.results.last?["runs"]?.arrayValue?.first)
        XCTAssertEqual(row["source_run"]?.doubleValue, Double(saver))
        XCTAssertEqual(row["source_checkpoint"]?.stringValue, file)
        XCTAssertEqual(shell.execute("compare \(fromRun.id)"), .success, out.errorText)
        let settings = try XCTUnwrap(out.results.last?["runs"]?.arrayValue?.first?["settings"]?.stringValue)
        XCTAssertTrue(settings.hasSuffix("from #\(saver) (\(file))"), settings)

        XCTAssertEqual(shell.execute("model from \(file); train 1"), .success, out.errorText)
        XCTAssertEqual(try store.runs().last?.source, ModelSource(checkpoint: file))
        XCTAssertEqual(shell.execute("model cnn width=4 depth=1; train 1"), .success, out.errorText)
        XCTAssertNil(try store.runs().last?.source, "a fresh model after a trained start")
        XCTAssertNil(shell.session.runs.last?.source)
        XCTAssertEqual(shell.session.runs.map { $0.source?.run }, [nil, saver, nil, nil])
    }

    /// Each wrong source or option fails at its word and leaves the session as it was.
    func testModelFromFailsAtTheWrongWordAndChangesNothing() throws {
        let (shell, out, _) = try makeStoreBackedInterpreter(model: "cnn width=4 depth=1")
        let before = shell.session.snapshot
        let cases: [(line: String, word: String, says: String)] = [
            ("model from #99", "#99", "99"),
            ("model from missing.ckpt", "missing.ckpt", "missing.ckpt"),
            ("model from #1 freeze=head", "freeze=head", "'head' for freeze"),
            ("model from #1 stem_lr=-1", "stem_lr=-1", "'-1' for stem_lr"),
        ]
        for (line, word, says) in cases {
            XCTAssertEqual(shell.execute(line), .failure, line)
            let error = try XCTUnwrap(out.errors.last?.error)
            XCTAssertTrue(error.message.contains(says), "\(line): \(error.message)")
            XCTAssertEqual(error.position, line.range(of: word).map { line.distance(from: line.startIndex, to: $0.lowerBound) }, line)
        }
        XCTAssertEqual(shell.session.snapshot, before)
    }
}

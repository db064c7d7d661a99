import XCTest
import HARKit
@testable import HARShell
import TestSupport

/// load → model → train → eval → inspect → runs on a small synthetic dataset, in-process.
final class TrainingCommandTests: IsolatedTestCase {
    /// A session with small synthetic windows (32 × 6, 6 classes) and a tiny attention model.
    private func preparedShell() -> (Interpreter, OutputBuffer) {
        let (shell, out) = makeInterpreter()
        shell.timingRepetitions = 3
        XCTAssertEqual(shell.execute("load synthetic window=32 overlap=0; model sa width=4 depth=1; set batch 64"), .success,
                       out.errors.map(\.error.message).joined(separator: "; "))
        return (shell, out)
    }

    func testLoadAndInfoReportTheDatasetWithTheContractFields() throws {
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.execute("load synthetic window=32 overlap=0"), .success)
        let dataset = try XCTUnwrap(shell.session.dataset)
        XCTAssertEqual(out.results.last?["window"], .int(32))
        shell.execute("info")
        let info = try XCTUnwrap(out.results.last)
        XCTAssertEqual(info["dataset"], .string("synthetic"))
        XCTAssertEqual(info["channels"]?.arrayValue?.compactMap(\.stringValue), dataset.channelNames)
        XCTAssertEqual(info["classes"]?.arrayValue?.compactMap(\.stringValue), dataset.classNames)
        XCTAssertEqual(info["rate_hz"]?.doubleValue, dataset.sampleRate)
        for (field, split) in [("train", DatasetSplit.train), ("val", .validation), ("test", .test)] {
            XCTAssertEqual(info[field]?["windows"]?.intValue, dataset.indices(in: split).count, field)
            XCTAssertEqual(info[field]?["class_counts"]?.arrayValue?.compactMap(\.intValue), dataset.classCounts(in: split), field)
            XCTAssertEqual(info[field]?["subjects"]?.arrayValue?.compactMap(\.intValue), dataset.subjects(in: split), field)
        }
    }

    func testLoadErrorsPointAtTheWordAndKeepTheSession() {
        let (shell, out) = makeInterpreter()
        shell.execute("load synthetic window=32 overlap=0")
        let before = shell.session.dataset?.windowLength
        XCTAssertEqual(shell.execute("load synthetic window=0"), .failure)
        XCTAssertEqual(out.errors.last?.error.position, 5)
        XCTAssertEqual(shell.session.dataset?.windowLength, before)
        XCTAssertEqual(shell.execute("load synthetic windwo=64"), .failure)
        XCTAssertEqual(out.errors.last?.error, ShellError("unknown option 'windwo' — did you mean 'window'?", at: 15))
        XCTAssertEqual(shell.execute("load wisdm from /nonexistent/folder"), .failure)
        XCTAssertEqual(shell.session.dataset?.windowLength, before)
    }

    func testALoadOfAnotherShapeDropsTheModel() {
        let (shell, out) = preparedShell()
        XCTAssertNotNil(shell.session.model)
        XCTAssertEqual(shell.execute("load synthetic window=48 overlap=0"), .success)
        XCTAssertNil(shell.session.model)
        XCTAssertTrue(out.lines.last?.hasPrefix("model sa depth=1 width=4 dropped") == true, out.lines.last ?? "")
    }

    func testTrainEvalAndInspectOneRun() throws {
        let (shell, out) = preparedShell()
        XCTAssertEqual(shell.execute("train 1"), .success, out.errors.map(\.error.message).joined())
        let epochLine = try XCTUnwrap(out.results.first { $0.command == "train" && $0["epoch"] != nil })
        for field in ["epoch", "train_loss", "train_accuracy", "val_accuracy", "val_macro_f1", "lr", "seconds"] {
            XCTAssertNotNil(epochLine[field], field)
        }
        XCTAssertEqual(epochLine["lr"]?.doubleValue, 5e-4)
        XCTAssertEqual(out.results.last?["epochs"], .int(1))
        XCTAssertEqual(out.results.last?["stopped"], .string("completed"))
        XCTAssertEqual(out.results.last?["run"], .int(1))

        // Settings reach the live optimizer; a second train continues the same run and its epoch count.
        XCTAssertEqual(shell.execute("set lr 1e-3"), .success)
        XCTAssertEqual(shell.session.trainer?.optimizer.learningRate, 1e-3)
        shell.execute("set schedule none; train 1")
        XCTAssertEqual(out.results.last { $0["epoch"] != nil }?["epoch"], .int(2))
        XCTAssertEqual(out.results.last { $0["epoch"] != nil }?["lr"]?.doubleValue, 1e-3)
        XCTAssertEqual(shell.session.runs.count, 1)
        XCTAssertEqual(shell.session.runs[0].epochs.count, 2)

        XCTAssertEqual(shell.execute("eval"), .success)
        let evaluation = try XCTUnwrap(out.results.last)
        for field in ["split", "accuracy", "precision_macro", "recall_macro", "f1_macro", "f1_weighted", "per_class", "confusion",
                      "latency_ms_p50", "latency_ms_p95", "throughput_windows_per_s"] {
            XCTAssertNotNil(evaluation[field], field)
        }
        let dataset = try XCTUnwrap(shell.session.dataset)
        let confusion = evaluation["confusion"]?.arrayValue?.map { $0.arrayValue?.compactMap(\.intValue) ?? [] } ?? []
        XCTAssertEqual(confusion.map { $0.reduce(0, +) }, dataset.classCounts(in: .test), "each row sums to the class's test windows")
        let diagonal = confusion.indices.reduce(0) { $0 + confusion[$1][$1] }
        XCTAssertEqual(evaluation["accuracy"]?.doubleValue ?? -1, Double(diagonal) / Double(dataset.indices(in: .test).count), accuracy: 1e-12)

        shell.execute("inspect confusion")
        XCTAssertEqual(out.results.last?["confusion"], evaluation["confusion"])
        shell.execute("inspect predictions 4")
        XCTAssertEqual(out.results.last?["predictions"]?.arrayValue?.count, 4)

        XCTAssertEqual(shell.execute("inspect attention sample=2"), .success, out.errors.last?.error.message ?? "")
        let map = out.results.last?["map"]?.arrayValue?.map { $0.arrayValue?.compactMap(\.doubleValue) ?? [] } ?? []
        XCTAssertEqual(map.first?.count, dataset.channelCount)
        XCTAssertTrue(map.joined().allSatisfy { $0 > 0 && $0 < 1 }, "a sigmoid gate")
        XCTAssertEqual(shell.execute("inspect attention class=jog"), .success, out.errors.last?.error.message ?? "")
        XCTAssertEqual(shell.execute("inspect attention class=flying"), .failure)
        XCTAssertEqual(shell.execute("inspect attention sample=100000"), .failure)

        shell.execute("inspect history")
        XCTAssertEqual(out.results.last?["epochs"]?.arrayValue?.count, 2)

        shell.execute("runs")
        XCTAssertEqual(out.results.last?["runs"]?.arrayValue?.first?["accuracy"], evaluation["accuracy"])
        shell.execute("compare")
        XCTAssertEqual(out.results.last?["runs"]?.arrayValue?.count, 1)
        let csv = temporaryFolder().appendingPathComponent("runs.csv")
        XCTAssertEqual(shell.execute("export csv \(csv.path)"), .success)
        let lines = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        XCTAssertTrue(lines[0].hasPrefix("id,store_id,dataset,model,"), String(lines[0]))
        XCTAssertTrue(lines[1].hasPrefix("1,,synthetic,sa depth=1 width=4,"), String(lines[1]))
    }

    func testCancellationStopsTrainingAndKeepsTheModel() throws {
        let (shell, out) = preparedShell()
        var polls = 0
        shell.shouldStop = { polls += 1; return polls > 3 }
        let model = try XCTUnwrap(shell.session.model)
        XCTAssertEqual(shell.execute("train 3"), .success)
        XCTAssertEqual(out.results.last?["stopped"], .string("interrupted"))
        XCTAssertTrue(shell.session.model === model)
        XCTAssertTrue(out.lines.last?.hasSuffix("by Ctrl-C; the model keeps its weights") == true, out.lines.last ?? "")
    }

    func testEpochScaleShortensTraining() {
        let (shell, out) = preparedShell()
        shell.epochScale = 0.5
        XCTAssertEqual(shell.execute("train 2"), .success)
        XCTAssertEqual(out.results.last?["epochs"], .int(1))
    }

    func testAugmentSetsThePipelineAndRejectsBadValues() {
        let (shell, out) = preparedShell()
        XCTAssertEqual(shell.execute("augment jitter=0.1, rotate, crop=0.8"), .success)
        XCTAssertEqual(shell.session.augmentation?.description, "jitter=0.1, rotate=30.0, crop=0.8")
        XCTAssertEqual(shell.execute("augment crop=2"), .failure)
        XCTAssertEqual(out.errors.last?.error.position, 8)
        XCTAssertEqual(shell.session.augmentation?.description, "jitter=0.1, rotate=30.0, crop=0.8")
        XCTAssertEqual(shell.execute("augment off"), .success)
        XCTAssertNil(shell.session.augmentation)
    }

    /// A model built after the trained one was dropped is a new run, even in the memory the old one freed (a run kept
    /// its model as an `ObjectIdentifier`, and a same-sized model allocated at the old address continued the old run).
    func testAModelBuiltAfterTheTrainedOneWasDroppedStartsANewRun() {
        let (shell, out) = preparedShell()
        XCTAssertEqual(shell.execute("train 1"), .success, out.errors.map(\.error.message).joined())
        XCTAssertNotNil(shell.session.currentRun)
        for _ in 0..<20 {
            XCTAssertEqual(shell.execute("reset model; model sa width=4 depth=1"), .success)
            XCTAssertNil(shell.session.currentRun, "a new model has not trained yet")
        }
    }

    func testModelWithoutAttentionHasNoMapAndResetDropsState() {
        let (shell, out) = preparedShell()
        XCTAssertEqual(shell.execute("model cnn width=4 depth=1"), .success)
        XCTAssertEqual(shell.execute("inspect attention"), .failure)
        XCTAssertTrue(out.errors.last?.error.message.contains("has no spatial attention map") == true)
        XCTAssertEqual(shell.execute("reset model"), .success)
        XCTAssertNil(shell.session.model)
        XCTAssertNotNil(shell.session.dataset)
        XCTAssertEqual(shell.execute("reset data"), .success)
        XCTAssertNil(shell.session.dataset)
    }
}

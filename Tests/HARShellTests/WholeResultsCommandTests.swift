import XCTest
import HARKit
@testable import HARShell
import TestSupport

/// Results that never mislead (issue 20 §1): `compare` ranks whole results only, runs record everything that shaped
/// them, every evaluated model belongs to a run (or the output says it does not), and repeated seeds are one result.
final class WholeResultsCommandTests: IsolatedTestCase {
    /// After a held-out run, a `cv` and a `tune`, `compare` shows one whole result per dataset × model — never a fold
    /// or a trial (it used to show the luckiest fold) — and `runs` lists each fold and trial beneath its result.
    func testCompareAfterCVAndTuneShowsOnlyWholeResults() throws {
        let (shell, out, store) = try makeStoreBackedInterpreter()
        XCTAssertEqual(shell.execute("train 1; eval; cv folds=2 epochs=1; tune lr=1e-3..1e-2:log trials=2 epochs=1"), .success, out.errorText)
        let all = try store.runs()
        XCTAssertEqual(all.map(\.kind), [.train, .cv, .fold, .fold, .tune, .trial, .trial])
        let members = Set(all.filter { !$0.kind.isWholeResult }.map(\.id))

        XCTAssertEqual(shell.execute("compare"), .success, out.errorText)
        let compared = try XCTUnwrap(out.results.last?["runs"]?.arrayValue)
        XCTAssertEqual(compared.count, 1, "one dataset × model, one row")
        let shown = try XCTUnwrap(compared.first?["id"]?.intValue)
        XCTAssertFalse(members.contains(Int64(shown)), "run \(shown) is a fold or a trial")
        let best = all.filter(\.kind.isWholeResult).compactMap(\.accuracy).max()
        XCTAssertEqual(compared.first?["accuracy"]?.doubleValue ?? -1, try XCTUnwrap(best), accuracy: 1e-12)
        if compared.first?["kind"]?.stringValue == "cv" { XCTAssertNotNil(compared.first?["accuracy_std"]?.doubleValue) }

        XCTAssertEqual(shell.execute("runs"), .success)
        let listed = try XCTUnwrap(out.results.last?["runs"]?.arrayValue)
        let cvID = Int(all[1].id)
        let cvRow = try XCTUnwrap(listed.firstIndex { $0["id"]?.intValue == cvID })
        XCTAssertEqual(listed[cvRow + 1]["group"]?.intValue, cvID, "the folds follow their cv")
        XCTAssertEqual(listed[cvRow + 2]["group"]?.intValue, cvID)
        XCTAssertEqual(shell.execute("runs \(cvID)"), .success, out.errorText)
        XCTAssertEqual(out.results.last?["runs"]?.arrayValue?.count, 3, "the cv and its two folds")
    }

    /// `train`, then `set lr` and `augment` and `train` again: the run shows its latest settings, says what changed
    /// from which epoch, and `runs RUN` lists each epoch's learning rate. It used to list the first lr only.
    func testARunRecordsEverySettingThatShapedIt() throws {
        let (shell, out, store) = try makeStoreBackedInterpreter()
        XCTAssertEqual(shell.execute("set schedule none; set dropout 0.3; train 1; set lr 1e-4; augment jitter; train 1"), .success, out.errorText)
        let run = try XCTUnwrap(try store.runs().first)
        XCTAssertEqual(run.config.learningRate, 1e-4)
        XCTAssertEqual(run.augmentation, "jitter=0.05")
        XCTAssertEqual(RunTable.changes(settings: run.settings), "epoch 2: augmentation none→jitter=0.05, learningRate 0.0005→0.0001")
        XCTAssertEqual(shell.execute("runs"), .success)
        let row = try XCTUnwrap(out.results.last?["runs"]?.arrayValue?.first)
        XCTAssertEqual(row["dropout"]?.doubleValue, 0.3)
        XCTAssertEqual(row["weight_decay"]?.doubleValue, 1e-3)
        XCTAssertEqual(row["window"]?.intValue, 32)
        XCTAssertNotNil(row["split"]?.stringValue)
        XCTAssertEqual(shell.execute("runs \(run.id)"), .success)
        XCTAssertEqual(out.results.last?["epochs"]?.arrayValue?.compactMap { $0["lr"]?.doubleValue }, [5e-4, 1e-4])
    }

    func testLabelSetsTheLabelColumn() throws {
        let (shell, out, store) = try makeStoreBackedInterpreter()
        XCTAssertEqual(shell.execute("train 1"), .success, out.errorText)
        let id = try XCTUnwrap(try store.runs().first?.id)
        XCTAssertEqual(shell.execute("label #\(id) small baseline"), .success, out.errorText)
        XCTAssertEqual(try store.run(id).label, "small baseline")
        XCTAssertEqual(out.results.last?["label"]?.stringValue, "small baseline")
        XCTAssertEqual(shell.execute("label \(id) \"dropout 0.2, jitter\""), .success, out.errorText)
        XCTAssertEqual(try store.run(id).label, "dropout 0.2, jitter")
        XCTAssertEqual(shell.execute("label \(id) \"\""), .success, out.errorText)
        XCTAssertNil(try store.run(id).label)
        XCTAssertEqual(shell.execute("label 99 x"), .failure)
        XCTAssertTrue(out.errorText.contains("no run 99 in run store"), out.errorText)
        XCTAssertEqual(shell.execute("label \(id)"), .failure)
        XCTAssertTrue(out.errors.last?.error.message.hasPrefix("missing TEXT") == true, out.errorText)
    }

    /// After `tune` the evaluated model is the best trial's run; after `load model` it is the run that saved the
    /// checkpoint; a model that belongs to no run says its evaluation is not recorded, and `inspect history`
    /// refuses to show another model's curves. They used to evaluate into no run while `status` named an older one.
    func testEveryEvaluatedModelBelongsToARunOrSaysItDoesNot() throws {
        let (shell, out, store) = try makeStoreBackedInterpreter()
        XCTAssertEqual(shell.execute("train 1; eval"), .success, out.errorText)
        let file = temporaryFolder().appendingPathComponent("m.ckpt")
        XCTAssertEqual(shell.execute("save model \(file.path)"), .success, out.errorText)
        let saved = try XCTUnwrap(try store.runs().first)

        XCTAssertEqual(shell.execute("tune lr=1e-3..1e-2:log trials=2 epochs=1; eval"), .success, out.errorText)
        let tuned = try XCTUnwrap(shell.session.currentRun)
        XCTAssertEqual(out.results.last?["run"]?.intValue, tuned.id)
        let trial = try store.run(try XCTUnwrap(tuned.storeID))
        XCTAssertEqual(trial.kind, .trial)
        XCTAssertEqual(trial.testMetrics?.accuracy, shell.session.lastEvaluation?.metrics.accuracy, "the eval is recorded on the trial's run")
        XCTAssertFalse(out.transcript.contains("not recorded"), out.transcript)
        XCTAssertEqual(shell.execute("status"), .success)
        XCTAssertEqual(out.results.last?["current_run"]?.intValue, tuned.id)

        XCTAssertEqual(shell.execute("load model \(file.path); eval"), .success, out.errorText)
        XCTAssertEqual(shell.session.currentRun?.storeID, saved.id, "a loaded checkpoint knows its run")
        XCTAssertEqual(out.results.last?["run"]?.intValue, shell.session.currentRun?.id)
        XCTAssertEqual(shell.execute("train 1"), .success, out.errorText)
        XCTAssertEqual(try store.epochs(of: saved.id).count, 2, "training the loaded model continues its run")
        out.clear()
        XCTAssertEqual(shell.execute("load model \(file.path); eval"), .success, out.errorText)
        XCTAssertNil(shell.session.currentRun?.storeID, "the file is run \(saved.id) at epoch 1, no longer what that run is")
        XCTAssertTrue(out.transcript.contains("only: it is not in the run store (checkpoint \(file.path) of run \(saved.id) at epoch 1; "
                                              + "that run trained on to epoch 2)"), out.transcript)

        out.clear()
        XCTAssertEqual(shell.execute("model sa width=4 depth=1; eval"), .success, out.errorText)
        XCTAssertTrue(out.transcript.contains("not recorded: the current model belongs to no run"), out.transcript)
        XCTAssertEqual(out.results.last?["run"], .null)
        XCTAssertEqual(shell.execute("inspect history"), .failure)
        XCTAssertTrue(out.errorText.contains("the current model belongs to no run"), out.errorText)
    }

    /// `train 1 seeds=2` is one result: mean ± std over two fresh models, recorded as a `seeds` run with its seeds
    /// beneath it, ranked by `compare` as one row; the current model is left as it was.
    func testRepeatedSeedsAreReportedAsMeanAndStd() throws {
        let (shell, out, store) = try makeStoreBackedInterpreter()
        let model = try XCTUnwrap(shell.session.model)
        XCTAssertEqual(shell.execute("train 1 seeds=2"), .success, out.errorText)
        let result = try XCTUnwrap(out.results.last)
        let accuracies = result["seeds"]?.arrayValue?.compactMap { $0["accuracy"]?.doubleValue } ?? []
        XCTAssertEqual(accuracies.count, 2)
        XCTAssertEqual(result["accuracy_mean"]?.doubleValue ?? -1, accuracies.reduce(0, +) / 2, accuracy: 1e-12)
        XCTAssertEqual(result["accuracy_std"]?.doubleValue ?? -1, abs(accuracies[0] - accuracies[1]) / 2.0.squareRoot(), accuracy: 1e-12)
        let mean = String(format: "%.2f%%", (result["accuracy_mean"]?.doubleValue ?? -1) * 100)
        XCTAssertTrue(out.lines.contains { $0.hasPrefix("accuracy \(mean) ± ") && $0.contains("over 2 seeds") },
                      "the summary reads accuracy as a percentage, as eval and cv print it: \(out.lines)")
        XCTAssertEqual(try store.runs().map(\.kind), [.seeds, .seed, .seed])
        XCTAssertTrue(shell.session.model === model, "the current model is unchanged")
        XCTAssertEqual(shell.execute("compare"), .success)
        XCTAssertEqual(out.results.last?["runs"]?.arrayValue?.map { $0["kind"]?.stringValue }, ["seeds"])
        XCTAssertEqual(shell.execute("train 1 seeds=1"), .failure)
    }
}

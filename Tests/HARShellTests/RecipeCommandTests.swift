import HARKit
import XCTest
@testable import HARShell
import TestSupport

/// `recipe`, `set schedule … warmup=N`, `set warmup`, `set ema`, and the recipe's settings in `show` and the run store.
final class RecipeCommandTests: IsolatedTestCase {
    func testRobustSetsItsSettingsAndAugmentationAndReferenceRestoresThem() throws {
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.execute("set lr 0.002; recipe robust"), .success, out.errors.map(\.error.message).joined())
        let config = shell.session.config
        XCTAssertEqual(config, TrainingRecipe.robust.configured({ var c = TrainingConfig(); c.learningRate = 0.002; return c }()))
        XCTAssertEqual(shell.session.augmentation, TrainingRecipe.robustAugmentation)
        let result = try XCTUnwrap(out.results.last)
        XCTAssertEqual(result["recipe"], .string("robust"))
        XCTAssertEqual(result["previous"], .string("reference"))
        XCTAssertEqual(result["settings"]?["warmup"], .string("1"))
        XCTAssertEqual(result["settings"]?["ema"], .string("0.99"))
        XCTAssertEqual(result["augmentation"], .string(TrainingRecipe.robustAugmentation.description))
        XCTAssertTrue(out.lines.contains("recipe robust (was reference)"), out.transcript)
        XCTAssertEqual(shell.execute("show"), .success)
        XCTAssertEqual(out.results.last?["recipe"], .string("robust"))
        XCTAssertEqual(shell.execute("set ema off; show"), .success)
        XCTAssertEqual(out.results.last?["recipe"], .string("custom"), "a setting the recipe decides changed since")
        XCTAssertEqual(shell.execute("recipe"), .success)
        XCTAssertEqual(out.results.last?["recipe"], .null)
        XCTAssertEqual(shell.execute("recipe reference"), .success)
        XCTAssertEqual(shell.session.config, { var c = TrainingConfig(); c.learningRate = 0.002; return c }(), "only lr stays changed")
        XCTAssertNil(shell.session.augmentation)
        XCTAssertEqual(out.results.last?["recipe"], .string("reference"))
    }

    func testUnknownRecipeFailsAtTheWordAndChangesNothing() {
        let (shell, out) = makeInterpreter()
        let before = shell.session.snapshot
        XCTAssertEqual(shell.execute("recipe robst"), .failure)
        let error = out.errors.last?.error
        XCTAssertTrue(error?.message.contains("'robst'") == true && error?.message.contains("robust") == true, error?.message ?? "")
        XCTAssertEqual(error?.position, 7)
        XCTAssertEqual(shell.session.snapshot, before)
        XCTAssertNil(shell.session.augmentation)
    }

    func testScheduleTakesWarmupAndWarmupAndEmaAreSettings() {
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.execute("set schedule cosine warmup=3"), .success, out.errors.map(\.error.message).joined())
        XCTAssertEqual(shell.session.config.schedule, .cosine)
        XCTAssertEqual(shell.session.config.warmupEpochs, 3)
        XCTAssertEqual(out.results.last?["warmup"], .string("3"))
        XCTAssertEqual(out.results.last?["warmup_previous"], .string("off"))
        XCTAssertTrue(out.lines.contains("warmup = 3 (was off)"), out.transcript)
        XCTAssertEqual(shell.execute("set schedule step warmup=0"), .success)
        XCTAssertNil(shell.session.config.warmupEpochs)
        XCTAssertEqual(shell.execute("set warmup 2; set ema 0.999"), .success)
        XCTAssertEqual(shell.session.config.warmupEpochs, 2)
        XCTAssertEqual(shell.session.config.averagingDecay, 0.999)
        for line in ["set warmup 0", "set ema 1", "set ema 0", "set ema often", "set lr 0.1 warmup=2", "set schedule cosine warmup=x"] {
            let before = shell.session.config
            XCTAssertEqual(shell.execute(line), .failure, line)
            XCTAssertEqual(shell.session.config, before, line)
        }
        XCTAssertTrue(out.errors.contains { $0.error.message.hasPrefix("'set' takes no options") }, out.transcript)
    }

    /// `warmup=` completes after `set schedule KIND` only; `recipe` completes its names.
    func testCompletionOffersWarmupAfterScheduleOnlyAndTheRecipes() {
        let completer = Completer(session: Session())
        XCTAssertEqual(completer.complete("set schedule cosine war").candidates, ["warmup="])
        XCTAssertEqual(completer.complete("set optimizer ").candidates, ["adam", "adamw", "default", "sgd"])
        XCTAssertEqual(completer.complete("recipe r").candidates, ["reference", "robust"])
    }

    /// `cv` trains its folds with the session's augmentation (it used to ignore `augment`), and the store records
    /// the recipe's settings with each run. Two 1-epoch folds of a tiny model: a few seconds.
    func testCrossValidationTrainsWithTheRecipeAndRecordsIt() throws {
        let (shell, out) = makeInterpreter()
        let store = try RunStore(url: temporaryFolder().appendingPathComponent("runs.sqlite"))
        shell.runStore = store
        XCTAssertEqual(shell.execute("load synthetic window=32 overlap=0; model sa width=4 depth=1; set batch 64"), .success)
        XCTAssertEqual(shell.execute("cv folds=2 epochs=1"), .success, out.errors.map(\.error.message).joined())
        let plain = out.results.last?["per_fold"]?.arrayValue?.compactMap { $0["accuracy"]?.doubleValue }
        XCTAssertEqual(shell.execute("recipe robust; model sa width=4 depth=1; cv folds=2 epochs=1"), .success,
                       out.errors.map(\.error.message).joined())
        let robust = out.results.last?["per_fold"]?.arrayValue?.compactMap { $0["accuracy"]?.doubleValue }
        XCTAssertEqual(plain?.count, 2)
        XCTAssertNotEqual(plain, robust, "the recipe changed nothing in cv")
        let runs = try store.runs().filter { $0.kind == .cv }
        XCTAssertEqual(runs.count, 2)
        let recorded = try XCTUnwrap(runs.first { $0.augmentation != nil })
        XCTAssertEqual(recorded.augmentation, TrainingRecipe.robustAugmentation.description)
        XCTAssertEqual(recorded.config.averagingDecay, 0.99)
        XCTAssertEqual(recorded.config.warmupEpochs, 1)
        XCTAssertEqual(recorded.config.dropout, 0.3)
        XCTAssertEqual(try store.runs().filter { $0.kind == .fold && $0.augmentation != nil }.count, 2, "each fold records it too")
    }
}

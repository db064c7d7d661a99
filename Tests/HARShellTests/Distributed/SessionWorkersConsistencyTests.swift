import Foundation
import HARKit
import TestSupport
import XCTest

/// `set workers N` keeps its workers and the session in step whatever path a command takes: a command inside
/// `run FILE` goes to the workers as a typed one does, and a `tune` that kept no trial leaves `eval` to the session
/// when the workers' weights are not the session's. Real `har` processes on loopback; each test starts a session
/// with one worker and trains for an epoch or two (about 15–30 s each on a busy 2-core machine).
final class SessionWorkersConsistencyTests: IsolatedTestCase {
    /// The seed first: it takes effect at the next `load` and `model`, so both trainings start from the same state.
    private static let recipe = "set seed 5; load synthetic window=32 overlap=0; model sa width=2 depth=1; set batch 64; set amp off"

    /// `run FILE` whose script trains: its `train 1` runs on both ranks, as the same `train 1` typed afterwards over the
    /// same recipe does (their losses are bitwise equal: one data-parallel job each time); the worker is neither
    /// left waiting in a collective nor stopped, and the session says nothing went wrong.
    func testATrainInsideRunFileRunsOnTheWorkersAsATypedOne() throws {
        let script = temporaryFolder().appendingPathComponent("train.har")
        try "\(Self.recipe.replacingOccurrences(of: "; ", with: "\n"))\ntrain 1\n".write(to: script, atomically: true, encoding: .utf8)
        let session = try HarBinary.run(["--no-rc", "--quiet", "--json", "-c",
                                         "set workers 2; set threads 1; run \"\(script.path)\"; \(Self.recipe); train 1; status"],
                                        environment: ["HARLAB_DIST_TIMEOUT": "20"])
        XCTAssertEqual(session.status, 0, session.stderr)
        XCTAssertFalse(session.stderr.contains("workers are stopped"), session.stderr)
        XCTAssertFalse(session.stderr.contains("did not answer"), session.stderr)
        let epochs = SessionWorkersTests.results(session.stdout, "train").filter { $0["epoch"] != nil }
        XCTAssertEqual(epochs.count, 2, session.stdout)
        if epochs.count == 2 {
            for key in ["train_loss", "val_loss", "train_accuracy"] {
                XCTAssertNotNil(epochs[0][key] as? Double, key)
                XCTAssertEqual(epochs[0][key] as? Double, epochs[1][key] as? Double, "\(key): the script's train and the typed one")
            }
        }
        XCTAssertEqual(SessionWorkersTests.results(session.stdout, "status").last?["workers"] as? Int, 2,
                       "the worker is still there — " + session.stderr)
    }

    /// A model trained alone, then `set workers 2` (the worker builds a fresh model) and a `tune` whose every trial
    /// fails to build (hidden=8 divides by neither 3 nor 5 heads), so the session keeps its trained model: the
    /// worker's weights are still not the session's, so the next `eval` runs on the session alone and gives what
    /// it gave before the workers. (Before the fix the tune marked the weights as in step and the eval was split
    /// between the trained model and the worker's fresh one.)
    func testATuneThatKeptNoTrialLeavesEvalToTheSessionAlone() throws {
        let model = "load synthetic window=32 overlap=0; model transformer hidden=8 heads=2 layers=1; set batch 64; set seed 5; set amp off"
        let session = try HarBinary.run(["--no-rc", "--quiet", "--json", "-c",
                                         "\(model); set threads 1; train 1; eval; set workers 2; tune heads=3|5 trials=2 epochs=1; eval; status"],
                                        environment: ["HARLAB_DIST_TIMEOUT": "20"])
        XCTAssertEqual(session.status, 0, session.stderr)
        let tune = try XCTUnwrap(SessionWorkersTests.results(session.stdout, "tune").first, session.stdout)
        XCTAssertTrue(tune["best"] is NSNull, "every trial failed: \(tune)")
        let evaluations = SessionWorkersTests.results(session.stdout, "eval")
        XCTAssertEqual(evaluations.count, 2, session.stdout)
        XCTAssertEqual(evaluations.last?["ranks"] as? Int, 1, "the worker's weights are not the session's")
        for key in ["accuracy", "f1_macro"] {
            XCTAssertNotNil(evaluations.first?[key] as? Double, key)
            XCTAssertEqual(evaluations.first?[key] as? Double, evaluations.last?[key] as? Double, "\(key) before and after the workers")
        }
        XCTAssertEqual(SessionWorkersTests.results(session.stdout, "status").last?["workers"] as? Int, 2, session.stderr)
    }
}

import Foundation
import XCTest
import HARKit
@testable import HARShell
import TestSupport

/// `replay`, `plot timeline` and the report's replay on the synthetic data with a tiny model trained one epoch
/// (each test a few seconds in a debug build; the equality test about ten on a busy machine).
final class ReplayCommandTests: IsolatedTestCase {
    private func trainedShell() throws -> (Interpreter, OutputBuffer) {
        let (shell, out) = makeInterpreter()
        for line in ["load synthetic", "model sa width=8 depth=1", "set seed 0", "train 1"] {
            XCTAssertEqual(shell.execute(line), .success, "\(line): \(out.errors.last?.error.message ?? "")")
        }
        out.clear()
        return (shell, out)
    }

    /// Replaying one recording from its first sample at the dataset's stride cuts the dataset's windows of it, and the
    /// stream path's batch-1 predictions are `eval`'s batched predictions on those windows, window by window.
    func testAReplayedRecordingsPredictionsAreEvalsOnTheSameWindows() throws {
        let (shell, out) = try trainedShell()
        XCTAssertEqual(shell.execute("eval"), .success)
        let evaluation = try XCTUnwrap(shell.session.lastEvaluation)
        let evalPrediction = Dictionary(uniqueKeysWithValues: zip(evaluation.indices, evaluation.predictions))
        let dataset = try XCTUnwrap(shell.session.dataset)
        let testRecordings = dataset.recordings.indices.filter { dataset.recordings[$0].subject == 16 }
        XCTAssertEqual(testRecordings.count, 6)
        var classesSeen = Set<Int>()
        for index in testRecordings.prefix(3) {
            let recording = dataset.recordings[index]
            XCTAssertEqual(shell.execute("replay recording \(index + 1) speed=max smooth=none"), .success, out.errors.last?.error.message ?? "")
            let timeline = try XCTUnwrap(shell.session.lastReplay).timeline
            XCTAssertEqual(timeline.predictions.count, recording.windowIndices.count)
            for (w, prediction) in timeline.predictions.enumerated() {
                XCTAssertEqual(prediction.sample, w * dataset.protocolDescription.stride + dataset.windowLength - 1)
                XCTAssertEqual(prediction.label, evalPrediction[recording.windowIndices[w]], "recording \(index + 1), window \(w)")
                XCTAssertEqual(prediction.smoothedLabel, prediction.label, "smooth=none")
                classesSeen.insert(prediction.label)
            }
        }
        XCTAssertGreaterThan(classesSeen.count, 1, "the model tells the recordings apart: the comparison means something")
    }

    /// A whole subject at speed=max: bounded in time, every sample scored against its truth, the end line's metrics
    /// are `ReplayMetrics` of the session's timeline; `plot timeline` draws it in the terminal and to a file, and the
    /// report includes it.
    func testASubjectAtMaxSpeedIsBoundedScoredPlottedAndReported() throws {
        let (shell, out) = try trainedShell()
        let started = Date()
        XCTAssertEqual(shell.execute("replay subject 16 speed=max"), .success, out.errors.last?.error.message ?? "")
        XCTAssertLessThan(Date().timeIntervalSince(started), 60, "176 s of recording at speed=max")
        let summary = try XCTUnwrap(shell.session.lastReplay)
        XCTAssertEqual(summary.timeline.truth.count, 6 * 1472)
        XCTAssertEqual(summary.timeline.predictions.count, (6 * 1472 - 128) / 64 + 1)
        XCTAssertEqual(summary.metrics, ReplayMetrics(summary.timeline))
        XCTAssertEqual(summary.metrics.trueSwitches, 5)
        XCTAssertTrue(out.lines[0].hasPrefix("replaying subject 16: 6 recordings (8832 samples, 176.6 s) at max into 128×6 windows every 64 samples"),
                      out.lines[0])
        let predictionLines = out.lines.filter { $0.contains("   true ") }
        XCTAssertEqual(predictionLines.count, summary.timeline.predictions.count, "off a terminal: a line per prediction")
        let end = try XCTUnwrap(out.results.last)
        XCTAssertEqual(end["event"], .string("end"))
        XCTAssertEqual(end["stopped"], .bool(false))
        guard case .object(let metrics)? = end["metrics"] else { return XCTFail("no metrics in \(end)") }
        XCTAssertTrue(metrics.contains { $0.0 == "accuracy" && $0.1 == .double(summary.metrics.accuracy) })
        XCTAssertTrue(out.lines.contains { $0.hasPrefix("smoothed: per-sample accuracy ") })

        out.clear()
        XCTAssertEqual(shell.execute("plot timeline"), .success)
        XCTAssertEqual(out.lines[0], summary.title)
        XCTAssertTrue(out.lines[1].hasPrefix("true      │"))
        let folder = temporaryFolder()
        XCTAssertEqual(shell.execute("plot timeline to \(folder.path)/t.svg"), .success, out.errors.last?.error.message ?? "")
        let svg = try String(contentsOf: folder.appendingPathComponent("t.svg"), encoding: .utf8)
        XCTAssertTrue(svg.contains(summary.title))
        shell.runStore = try RunStore(url: folder.appendingPathComponent("runs.sqlite"))
        XCTAssertEqual(shell.execute("report to \(folder.path)/r.html"), .success, out.errors.last?.error.message ?? "")
        let page = try String(contentsOf: folder.appendingPathComponent("r.html"), encoding: .utf8)
        XCTAssertTrue(page.contains("<h2>Replay</h2>") && page.contains(summary.caption))
    }

    /// Ctrl-C ends the replay where it is: the metrics score what was replayed, and the session goes on.
    func testCtrlCStopsTheReplayScoresWhatRanAndKeepsTheSession() throws {
        let (shell, out) = try trainedShell()
        var polls = 0
        shell.shouldStop = { polls += 1; return polls > 3000 }
        XCTAssertEqual(shell.execute("replay subject 16 speed=max"), .success, out.errors.last?.error.message ?? "")
        shell.shouldStop = { false }
        let summary = try XCTUnwrap(shell.session.lastReplay)
        XCTAssertLessThan(summary.timeline.truth.count, 6 * 1472)
        XCTAssertGreaterThan(summary.timeline.predictions.count, 0)
        XCTAssertEqual(out.results.last?["stopped"], .bool(true))
        XCTAssertTrue(out.lines.contains { $0.hasPrefix("replay stopped by Ctrl-C: ") })
        XCTAssertNotNil(shell.session.model)
        XCTAssertEqual(shell.execute("plot timeline"), .success)
    }

    /// On a terminal the predictions redraw `stream`'s live bar, with the truth, instead of writing lines.
    func testOnATerminalThePredictionsRedrawTheLiveBar() throws {
        let (shell, out) = try trainedShell()
        out.showsLiveStatus = true
        XCTAssertEqual(shell.execute("replay recording 91 speed=max"), .success, out.errors.last?.error.message ?? "")
        XCTAssertEqual(out.statusLines.count, 22)
        XCTAssertTrue(out.statusLines.allSatisfy { $0.contains("  true walking ") }, out.statusLines.joined(separator: "\n"))
        XCTAssertFalse(out.lines.contains { $0.contains("   true ") })
    }

    /// A real-time factor paces the samples: recording 91 (1472 samples at 50 Hz, 29.4 s) at speed=100 takes ≥ 0.29 s.
    func testASpeedFactorPacesTheSamples() throws {
        let (shell, out) = try trainedShell()
        let started = Date()
        XCTAssertEqual(shell.execute("replay recording 91 speed=100"), .success, out.errors.last?.error.message ?? "")
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 0.29)
        XCTAssertEqual(out.results.last?["speed"], .double(100))
    }

    /// Each bad argument says what was wrong, points at the word, and leaves the session without a replay.
    func testBadArgumentsSayWhatIsWrongAndChangeNothing() throws {
        let (bare, bareOut) = makeInterpreter()
        XCTAssertEqual(bare.execute("replay"), .failure)
        XCTAssertEqual(bareOut.errors.last?.error.message, "no model yet: build one with 'model SPEC' (e.g. 'model sa') after 'load'")

        let (shell, out) = try trainedShell()
        let cases: [(String, String, String)] = [
            ("replay subject 99", "subject 99 has no recordings in synthetic (its subjects: \((1...20).map(String.init).joined(separator: ", ")))", "99"),
            ("replay recording 121", "recording 121 does not exist: synthetic has recordings 1…120", "121"),
            ("replay recording 0", "invalid recording '0': expected an integer ≥ 1", "0"),
            ("replay subject", "missing subject N — usage: \(ReplayCommand.spec.usage)", "replay"),
            ("replay test speed=0", "bad speed '0': expected a positive factor of real time (speed=10 plays ten times faster) or speed=max", "speed=0"),
            ("replay test speed=fast", "bad speed 'fast': expected a positive factor of real time (speed=10 plays ten times faster) or speed=max", "speed=fast"),
            ("replay test smooth=often", "smoothing 'often' is not one of none, majority:K, min:N (K, N ≥ 1)", "smooth=often"),
        ]
        for (line, message, word) in cases {
            XCTAssertEqual(shell.execute(line), .failure, line)
            let error = try XCTUnwrap(out.errors.last?.error)
            XCTAssertEqual(error.message, message, line)
            let offset = try XCTUnwrap(line.range(of: word, options: .backwards)).lowerBound.utf16Offset(in: line)
            XCTAssertEqual(error.position, offset, "\(line): the error points at '\(word)'")
            XCTAssertNil(shell.session.lastReplay, line)
        }
        for line in ["replay banana", "replay test 3", "replay test speedy=2"] {
            XCTAssertEqual(shell.execute(line), .failure, line)
        }
        XCTAssertEqual(shell.execute("plot timeline"), .failure)
        XCTAssertEqual(out.errors.last?.error.message, "no replay yet: run 'replay test' (or 'replay subject N') first")
    }
}

extension ReplayCommandTests {
    /// A dataset read back as windows (`save data` then `load npy`) has no recordings, and the message says what to do.
    func testADatasetReadAsWindowsIsRefusedWithWhatToDo() throws {
        let (shell, out) = try trainedShell()
        let folder = temporaryFolder().appendingPathComponent("windows")
        XCTAssertEqual(shell.execute("save data \(folder.path)"), .success, out.errors.last?.error.message ?? "")
        XCTAssertEqual(shell.execute("load npy from \(folder.path)"), .success, out.errors.last?.error.message ?? "")
        XCTAssertEqual(shell.execute("replay test"), .failure)
        XCTAssertTrue(out.errors.last?.error.message.hasSuffix("keeps no continuous recordings to replay: load it from its original files (with cache=off when it is cached)") ?? false,
                      out.errors.last?.error.message ?? "")
    }
}

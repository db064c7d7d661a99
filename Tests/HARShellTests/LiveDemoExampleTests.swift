import Foundation
import XCTest
import TestSupport

/// `examples/live-demo.har` end to end through the built `har`, off a terminal: it trains, replays held-out subject 16
/// ten times faster than real time (about 18 s of the run) and draws the timeline in the terminal and to a file. About
/// a minute in a debug build on a busy machine; `HAR_SKIP_EXAMPLES=1` skips it with the other example runs.
final class LiveDemoExampleTests: IsolatedTestCase {
    func testTheDemoTrainsReplaysASubjectAndDrawsItsTimeline() throws {
        if ProcessInfo.processInfo.environment["HAR_SKIP_EXAMPLES"] == "1" {
            throw XCTSkip("HAR_SKIP_EXAMPLES=1: examples/live-demo.har not run end to end")
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let home = temporaryFolder()
        let started = Date()
        let run = try HarBinary.run([root.appendingPathComponent("examples/live-demo.har").path], home: home)
        let text = run.stdout + run.stderr
        XCTAssertEqual(run.status, 0, text)
        let seconds = Date().timeIntervalSince(started)
        XCTAssertGreaterThanOrEqual(seconds, 8832 / 50 / 10, "speed=10 paces the 176.6 s of recording")
        for piece in ["replaying subject 16: 6 recordings (8832 samples, 176.6 s) at 10× into 128×6 windows every 64 samples",
                      "replay done: 176.6 s of recording (8832 samples, 137 predictions)", "smoothed: per-sample accuracy ",
                      "(truth: 5)", "sa depth=2 width=16 · synthetic · subject 16: 6 recordings", "true      │", "predicted │", "wrong     │",
                      "wrote timeline to live-demo-timeline.svg"] {
            XCTAssertTrue(text.contains(piece), "missing '\(piece)' in:\n\(text)")
        }
        XCTAssertEqual(text.components(separatedBy: "   true ").count - 1, 137, "a line per prediction off a terminal")
        let svg = try String(contentsOf: home.appendingPathComponent("live-demo-timeline.svg"), encoding: .utf8)
        XCTAssertTrue(svg.contains("Confidence of each prediction"))
    }
}

import XCTest
@testable import HARKit
import TestSupport

final class TimelinePlotTests: IsolatedTestCase {
    /// The fixture of `ReplayMetricsTests`: a a a a | b b b b | c c | a a at 2 Hz, smoothed predictions a a a b b a.
    func testBandsNameEachTrueAndPredictedRunWithItsTimesAndConfidence() throws {
        let svg = Plot.timeline(ReplayMetricsTests.fixture(), title: "subject 3")
        let elements = try SVGElements(svg)
        XCTAssertTrue(elements.texts.contains("subject 3"))
        XCTAssertEqual(elements.titles.filter { $0.hasPrefix("true ") },
                       ["true a: 0.0 s–2.0 s", "true b: 2.0 s–4.0 s", "true c: 4.0 s–5.0 s", "true a: 5.0 s–6.0 s"])
        XCTAssertEqual(elements.titles.filter { $0.hasPrefix("predicted ") },
                       ["predicted a: 0.5 s–3.5 s, mean confidence 0.90", "predicted b: 3.5 s–5.5 s, mean confidence 0.90",
                        "predicted a: 5.5 s–6.0 s, mean confidence 0.90"])
        // Shown (smoothed) against true: wrong at samples 4–6 and 8–10.
        XCTAssertEqual(elements.titles.filter { $0.hasPrefix("wrong") }, ["wrong: 2.0 s–3.5 s", "wrong: 4.0 s–5.5 s"])
        XCTAssertEqual(Set(elements.texts).intersection(["a", "b", "c", "disagreement"]).count, 4, "legend names every class")
        let predicted = elements.named("rect").filter { $0.attributes["fill-opacity"] != nil }
        XCTAssertEqual(predicted.count, 3)
        XCTAssertEqual(Double(predicted.first?.attributes["fill-opacity"] ?? "") ?? 0, 0.25 + 0.75 * 0.9, accuracy: 0.006,
                       "opacity 0.25 + 0.75 × confidence")
    }

    func testATimelineWithoutPredictionsStillDrawsTheTruth() throws {
        let svg = Plot.timeline(ActivityTimeline(classNames: ["a", "b"], sampleRate: 50, truth: [0, 0, 1]))
        let elements = try SVGElements(svg)
        XCTAssertEqual(elements.titles.filter { $0.hasPrefix("true ") }.count, 2)
        XCTAssertTrue(elements.titles.filter { $0.hasPrefix("predicted ") }.isEmpty)
    }
}

extension TimelinePlotTests {
    func testAReportWithAReplayShowsItsTimelineAndMetrics() {
        let shown = ReplaySummary(title: "sa · subject 3", timeline: ReplayMetricsTests.fixture())
        let html = Report(runs: [], compared: [], epochs: [:], replays: [shown]).html()
        XCTAssertTrue(html.contains("<h2>Replay</h2>"))
        XCTAssertTrue(html.contains("sa · subject 3"))
        XCTAssertTrue(html.contains("Per-sample accuracy 0.4545, macro F1 0.3056; 2 predicted switches against 3 true; "
                                    + "mean detection delay 1.00 s (2 of 3 changes detected)."), html)
        XCTAssertFalse(Report(runs: [], compared: [], epochs: [:]).html().contains("<h2>Replay</h2>"))
    }
}

import XCTest
@testable import HARKit
import TestSupport

final class ReplayMetricsTests: IsolatedTestCase {
    /// 12 samples at 2 Hz: a a a a | b b b b | c c | a a. Predictions at samples 1, 3, 5, 7, 9, 11:
    /// raw a a b b a a, smoothed a a a b b a.
    static func fixture() -> ActivityTimeline {
        let raw = [0, 0, 1, 1, 0, 0], smoothed = [0, 0, 0, 1, 1, 0]
        return ActivityTimeline(classNames: ["a", "b", "c"], sampleRate: 2, truth: [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 0, 0],
                                predictions: (0..<6).map { .init(sample: 2 * $0 + 1, label: raw[$0], confidence: 0.9, smoothedLabel: smoothed[$0]) })
    }

    func testShownLabelsHoldEachPredictionUntilTheNextAndNothingBeforeTheFirst() {
        XCTAssertEqual(Self.fixture().shownLabels(smoothed: false), [nil, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0])
        XCTAssertEqual(Self.fixture().shownLabels(smoothed: true), [nil, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0])
    }

    /// Worked by hand over samples 1…11. Raw: right at 1, 2, 3, 5, 6, 7, 10, 11 (8 of 11); F1 a = 10/12, b = 3/4,
    /// c = 0, macro 19/36. Changes at 4 (→ b, first b prediction at 5: 0.5 s), 8 (→ c, never: missed),
    /// 10 (→ a, at 11: 0.5 s).
    func testRawLabelsHandComputed() {
        let m = ReplayMetrics(Self.fixture(), smoothed: false)
        XCTAssertEqual(m.scoredSamples, 11)
        XCTAssertEqual(m.accuracy, 8.0 / 11.0, accuracy: 1e-12)
        XCTAssertEqual(m.f1Macro, 19.0 / 36.0, accuracy: 1e-12)
        XCTAssertEqual(m.predictedSwitches, 2)
        XCTAssertEqual(m.trueSwitches, 3)
        XCTAssertEqual(m.detectedChanges, 2)
        XCTAssertEqual(m.missedChanges, 1)
        XCTAssertEqual(m.meanDetectionDelay!, 0.5, accuracy: 1e-12)
    }

    /// Smoothed: right at 1, 2, 3, 7, 11 (5 of 11); F1 a = 2/3, b = 1/4, c = 0, macro 11/36. The change to b is first
    /// predicted at 7 (1.5 s), to a at 11 (0.5 s): mean 1 s.
    func testSmoothedLabelsHandComputed() {
        let m = ReplayMetrics(Self.fixture())
        XCTAssertEqual(m.accuracy, 5.0 / 11.0, accuracy: 1e-12)
        XCTAssertEqual(m.f1Macro, 11.0 / 36.0, accuracy: 1e-12)
        XCTAssertEqual(m.predictedSwitches, 2)
        XCTAssertEqual(m.trueSwitches, 3)
        XCTAssertEqual([m.detectedChanges, m.missedChanges], [2, 1])
        XCTAssertEqual(m.meanDetectionDelay!, 1.0, accuracy: 1e-12)
    }

    /// A window completing at the change's first sample that already names the new activity detects it with no delay;
    /// a change before the first prediction is not scored.
    func testDetectionAtTheChangeSampleIsZeroDelayAndEarlyChangesAreNotScored() {
        let timeline = ActivityTimeline(classNames: ["a", "b"], sampleRate: 1, truth: [1, 0, 0, 1, 1],
                                        predictions: [.init(sample: 2, label: 0, confidence: 1, smoothedLabel: 0),
                                                      .init(sample: 3, label: 1, confidence: 1, smoothedLabel: 1),
                                                      .init(sample: 4, label: 1, confidence: 1, smoothedLabel: 1)])
        let m = ReplayMetrics(timeline)
        XCTAssertEqual(m.scoredSamples, 3)
        XCTAssertEqual(m.accuracy, 1)
        XCTAssertEqual(m.f1Macro, 1)
        XCTAssertEqual([m.trueSwitches, m.predictedSwitches, m.detectedChanges, m.missedChanges], [1, 1, 1, 0])
        XCTAssertEqual(m.meanDetectionDelay, 0)
    }

    func testNoPredictionsScoresNothing() {
        let m = ReplayMetrics(ActivityTimeline(classNames: ["a", "b"], sampleRate: 50, truth: [0, 0, 1]))
        XCTAssertEqual(m.scoredSamples, 0)
        XCTAssertEqual(m.accuracy, 0)
        XCTAssertEqual([m.trueSwitches, m.predictedSwitches, m.detectedChanges, m.missedChanges], [0, 0, 0, 0])
        XCTAssertNil(m.meanDetectionDelay)
    }

    func testTrueSegmentsAreTheRunsOfEqualClass() {
        let segments = Self.fixture().trueSegments
        XCTAssertEqual(segments.map(\.start), [0, 4, 8, 10])
        XCTAssertEqual(segments.map(\.end), [4, 8, 10, 12])
        XCTAssertEqual(segments.map(\.label), [0, 1, 2, 0])
    }
}

extension ReplayMetricsTests {
    func testPredictedSegmentsMergeEqualLabelsAndAverageTheirConfidence() {
        var timeline = Self.fixture()
        timeline.predictions[1].confidence = 0.5
        let segments = timeline.predictedSegments(smoothed: false)
        XCTAssertEqual(segments.map(\.start), [1, 5, 9])
        XCTAssertEqual(segments.map(\.end), [5, 9, 12])
        XCTAssertEqual(segments.map(\.label), [0, 1, 0])
        XCTAssertEqual(segments[0].confidence, 0.7, accuracy: 1e-12)
        XCTAssertEqual(segments[1].confidence, 0.9, accuracy: 1e-12)
    }
}

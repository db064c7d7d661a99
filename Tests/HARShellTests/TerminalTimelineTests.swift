import XCTest
import HARKit
@testable import HARShell
import TestSupport

final class TerminalTimelineTests: IsolatedTestCase {
    /// 12 samples at 2 Hz: a a a a | b b b b | c c | a a; smoothed predictions at samples 1, 3, 5, 7, 9, 11: a a a b b a.
    static let timeline = ActivityTimeline(
        classNames: ["a", "b", "c"], sampleRate: 2, truth: [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 0, 0],
        predictions: zip([0, 0, 1, 1, 0, 0], [0, 0, 0, 1, 1, 0]).enumerated().map {
            .init(sample: 2 * $0.offset + 1, label: $0.element.0, confidence: 0.9, smoothedLabel: $0.element.1)
        })

    /// One column per sample when the width allows: the bands spell the classes' keys sample by sample, the wrong band
    /// marks the samples whose shown label differs (no trailing blanks), and nothing is shown before the first prediction.
    func testOneColumnPerSampleSpellsTheBands() {
        let lines = TerminalTimeline.render(Self.timeline, style: Style(colour: false), width: 80)
        XCTAssertEqual(lines[0], "true      │AAAABBBBCCAA")
        XCTAssertEqual(lines[1], "predicted │ AAAAAABBBBA")
        XCTAssertEqual(lines[2], "wrong     │    ××× ×××")
        XCTAssertEqual(lines[3], "           0…6.0 s (0.50 s per column)")
        XCTAssertEqual(lines[4], "A a  B b  C c")
    }

    /// Narrower than the samples: each column shows its bin's most frequent class.
    func testNarrowBandsShowEachBinsMostFrequentClass() {
        let lines = TerminalTimeline.render(Self.timeline, style: Style(colour: false), width: 11 + 4)
        XCTAssertEqual(lines[0], "true      │ABBA")
        XCTAssertEqual(lines[1], "predicted │AABB")
    }

    /// With colour a class is the live bar's cell: a space on the class's background.
    func testColourPaintsEachClassAsTheLiveBarDoes() {
        let lines = TerminalTimeline.render(Self.timeline, style: Style(colour: true), width: 80)
        XCTAssertTrue(lines[0].hasPrefix("true      │" + String(repeating: StreamBar.cell(0, style: Style(colour: true)), count: 4)))
        XCTAssertTrue(lines[0].contains("\u{1B}[48;5;166m \u{1B}[0m"))
        XCTAssertTrue(lines[2].contains("\u{1B}[31m×\u{1B}[0m"))
    }
}

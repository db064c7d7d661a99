import XCTest
@testable import HARKit
import TestSupport

final class ReplaySourceTests: IsolatedTestCase {
    /// Every window of the dataset is the stretch of its recording that starts at `w × stride`, normalised: the kept
    /// recordings are the raw samples the windows were cut from.
    func testKeptRecordingsHoldTheRawSamplesOfEveryWindow() throws {
        let data = try DatasetCatalog.load("synthetic", options: ["window": "64", "overlap": "0.25"])
        let stride = data.protocolDescription.stride, channels = data.channelCount, size = data.windowSize
        XCTAssertEqual(stride, 48)
        XCTAssertEqual(data.recordings.count, 120)
        XCTAssertEqual(data.recordings.flatMap(\.windowIndices).sorted(), Array(0..<data.count), "each window belongs to one recording")
        let mean = data.protocolDescription.mean, std = data.protocolDescription.std
        for recording in [data.recordings[0], data.recordings[119]] {
            for (w, index) in recording.windowIndices.enumerated() {
                XCTAssertEqual(data.labels[index], recording.label)
                XCTAssertEqual(data.subjects[index], recording.subject)
                let raw = recording.values[(w * stride * channels)..<(w * stride * channels + size)]
                for (k, value) in raw.enumerated() {
                    let c = k % channels
                    XCTAssertEqual(data.windows[index * size + k], (value - mean[c]) / std[c], "window \(index), value \(k)")
                }
            }
        }
    }

    func testATestSplitReplayStreamsTheTestSubjectsRecordingsInOrder() throws {
        let data = try DatasetCatalog.load("synthetic")
        let source = try ReplaySource(data, selection: .split(.test))
        XCTAssertEqual(source.parts.count, 30)
        XCTAssertEqual(Set(source.parts.map { data.recordings[$0.recording].subject }), Set(16...20))
        // 22 windows of 128 at stride 64 cover 1472 of each recording's 1500 samples.
        XCTAssertEqual(source.parts.map(\.rows), [Int](repeating: 1472, count: 30))
        XCTAssertEqual(source.rows, 30 * 1472)
        XCTAssertEqual(source.parts[1].offset, 1472)
        XCTAssertEqual(source.truth[1471], data.recordings[source.parts[0].recording].label)
        XCTAssertEqual(source.truth[1472], data.recordings[source.parts[1].recording].label)
        XCTAssertEqual(Array(source.values[(1472 * 6)..<(1473 * 6)]), Array(data.recordings[source.parts[1].recording].values[0..<6]))
        XCTAssertEqual(source.description, "test split: 30 recordings of subjects 16, 17, 18, 19, 20")
    }

    func testARatioSplitStreamsOnlyTheStretchItsWindowsCover() throws {
        let data = try DatasetCatalog.load("synthetic", options: ["split": "ratio:8:2", "validation": "0"])
        let source = try ReplaySource(data, selection: .split(.test))
        let part = source.parts[0], recording = data.recordings[part.recording]
        let firstTest = try XCTUnwrap(recording.windowIndices.firstIndex { data.splits[$0] == .test })
        XCTAssertEqual(part.start, firstTest * 64)
        XCTAssertEqual(part.start + part.rows, (recording.windowIndices.count - 1) * 64 + 128)
    }

    func testBadSelectionsSayWhatExists() throws {
        let data = try DatasetCatalog.load("synthetic")
        XCTAssertThrowsError(try ReplaySource(data, selection: .subject(99))) {
            XCTAssertEqual(($0 as? ReplayError)?.message,
                           "subject 99 has no recordings in synthetic (its subjects: \((1...20).map(String.init).joined(separator: ", ")))")
        }
        XCTAssertThrowsError(try ReplaySource(data, selection: .recording(121))) {
            XCTAssertEqual(($0 as? ReplayError)?.message, "recording 121 does not exist: synthetic has recordings 1…120")
        }
        var windowsOnly = data
        windowsOnly.recordings = []
        XCTAssertThrowsError(try ReplaySource(windowsOnly, selection: .split(.test))) {
            XCTAssertTrue(($0 as? ReplayError)?.message.hasSuffix("load it from its original files (with cache=off when it is cached)") ?? false, "\($0)")
        }
    }
}

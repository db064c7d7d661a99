import Foundation
import XCTest
@testable import HARKit
import TestSupport

/// Selecting one person's first P% (by time) of each activity for fine-tuning and the rest for testing (issue 18 §2):
/// `subjects=S` keeps one subject's recordings, `split=ratio:P:100−P` cuts each of its activities in time.
final class PersonalSplitTests: IsolatedTestCase {
    /// Subject 3 of the synthetic set, 46 windows of 32 samples per activity: the first 10% (4 windows) of each
    /// activity train, the other 42 test, and each is the recording's window at that time.
    func testSubjectsAndRatioTakeTheFirstShareOfEachActivityByTime() throws {
        let options = ["subjects": "3", "split": "ratio:1:9", "validation": "0", "window": "32", "overlap": "0", "normalize": "off"]
        let dataset = try DatasetCatalog.load("synthetic", options: options)
        XCTAssertEqual(Set(dataset.subjects), [3])
        XCTAssertEqual(dataset.classCounts(in: .train), Array(repeating: 4, count: 6))
        XCTAssertEqual(dataset.classCounts(in: .test), Array(repeating: 42, count: 6))
        let recordings = SyntheticDataset.source(seed: 0).recordings.filter { $0.subject == 3 }
        let size = 32 * dataset.channelCount
        for label in 0..<6 {
            let recording = try XCTUnwrap(recordings.first { $0.label == label })
            let ordered = dataset.indices(in: .train).filter { dataset.labels[$0] == label }
                + dataset.indices(in: .test).filter { dataset.labels[$0] == label }
            for (position, index) in ordered.enumerated() {
                let window = Array(dataset.windows[(index * size)..<((index + 1) * size)])
                XCTAssertEqual(window, Array(recording.values[(position * size)..<((position + 1) * size)]),
                               "class \(label): window \(position) in time")
            }
        }
    }

    /// A subject the dataset does not have fails naming it and the subjects there are; a malformed list fails too.
    func testAbsentSubjectsFailNamingThem() {
        XCTAssertThrowsError(try DatasetCatalog.load("synthetic", options: ["subjects": "3,42", "split": "ratio:1:9"])) { error in
            XCTAssertTrue("\(error)".contains("no subject 42") && "\(error)".contains("1, 2, 3"), "\(error)")
        }
        XCTAssertThrowsError(try DatasetCatalog.load("synthetic", options: ["subjects": "3,x"])) { error in
            XCTAssertTrue("\(error)".contains("'3,x'"), "\(error)")
        }
    }
}

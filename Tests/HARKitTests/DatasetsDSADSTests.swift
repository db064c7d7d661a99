import XCTest
@testable import HARKit
import TestSupport

final class DatasetsDSADSTests: IsolatedTestCase {
    /// Value of column `c` in row `r` of segment `s` of activity `a`, subject `p`: encodes where it came from.
    private func value(_ a: Int, _ p: Int, _ s: Int, _ r: Int, _ c: Int) -> Double {
        Double(a * 1000 + p * 100 + s * 10 + r) + Double(c) / 100
    }

    /// Two activities × three subjects × two 5-row segments in the publisher's layout.
    private func makeFixture() throws -> URL {
        let root = try DatasetsTestSupport.temporaryFolder("dsads")
        for a in 1...2 {
            for p in 1...3 {
                for s in 1...2 {
                    let rows = (0..<5).map { r in (0..<45).map { c in String(value(a, p, s, r, c)) }.joined(separator: ",") }
                    try DatasetsTestSupport.write(rows.joined(separator: "\n") + "\n", to: String(format: "data/a%02d/p%d/s%02d.txt", a, p, s), in: root)
                }
            }
        }
        return root
    }

    func testLoadJoinsSegmentsAndWindowsEachActivitySubjectRun() throws {
        let root = try makeFixture()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = try DatasetCatalog.load("dsads", from: root, options: ["window": "4", "overlap": "0.5", "split": "subjects:3", "normalize": "off", "validation": "0"])
        XCTAssertEqual(data.channelCount, 45)
        XCTAssertEqual(data.channelNames.first, "T_acc_x")
        XCTAssertEqual(data.channelNames.last, "LL_mag_z")
        XCTAssertEqual(data.count, 6 * 4, "10 rows per run, window 4, step 2: 4 windows")
        XCTAssertEqual(data.indices(in: .test).count, 8)
        XCTAssertEqual(data.classNames.count, 19)
        // Second window of (a01, p1) starts at row 2 of segment 1; its fourth row is row 0 of segment 2.
        let second = 1 * 4 * 45
        XCTAssertEqual(data.windows[second], Float(value(1, 1, 1, 2, 0)))
        XCTAssertEqual(data.windows[second + 3 * 45 + 7], Float(value(1, 1, 2, 0, 7)))
        XCTAssertEqual(data.labels[0], 0)
        XCTAssertEqual(data.subjects[0], 1)
        XCTAssertEqual(data.splits.last, .test)
        XCTAssertEqual(data.subjects.last, 3)
    }

    func testDefaultProtocolSaysHeldOutSubjectsAreAbsent() throws {
        let root = try makeFixture()
        defer { try? FileManager.default.removeItem(at: root) }
        XCTAssertThrowsError(try DatasetCatalog.load("dsads", from: root, options: ["window": "4"])) { error in
            XCTAssertTrue("\(error)".contains("default dsads protocol holds out subjects 7, 8"), "\(error)")
            XCTAssertTrue("\(error)".contains("subjects present: 1, 2, 3"), "\(error)")
        }
    }

    func testTruncatedLineNamesFileAndLine() throws {
        let root = try makeFixture()
        defer { try? FileManager.default.removeItem(at: root) }
        let rows = (0..<5).map { r in (0..<(r == 2 ? 44 : 45)).map { String($0 + r) }.joined(separator: ",") }
        try DatasetsTestSupport.write(rows.joined(separator: "\n"), to: "data/a02/p3/s02.txt", in: root)
        XCTAssertThrowsError(try DatasetCatalog.load("dsads", from: root, options: ["window": "4", "split": "subjects:3"])) { error in
            XCTAssertTrue("\(error)".contains("a02/p3/s02.txt' line 3: expected 45 values, found 44"), "\(error)")
        }
    }

    func testNonNumericTokenNamesFileLineAndToken() throws {
        let root = try makeFixture()
        defer { try? FileManager.default.removeItem(at: root) }
        let rows = (0..<5).map { r in (0..<45).map { r == 1 && $0 == 9 ? "12x.5" : String($0) }.joined(separator: ",") }
        try DatasetsTestSupport.write(rows.joined(separator: "\n"), to: "data/a01/p2/s01.txt", in: root)
        XCTAssertThrowsError(try DatasetCatalog.load("dsads", from: root, options: ["window": "4", "split": "subjects:3"])) { error in
            XCTAssertTrue("\(error)".contains("a01/p2/s01.txt' line 2"), "\(error)")
        }
        let rowsWithWord = (0..<5).map { r in (0..<45).map { r == 4 && $0 == 0 ? "abc" : String($0) }.joined(separator: ",") }
        try DatasetsTestSupport.write(rowsWithWord.joined(separator: "\n"), to: "data/a01/p2/s01.txt", in: root)
        XCTAssertThrowsError(try DatasetCatalog.load("dsads", from: root, options: ["window": "4", "split": "subjects:3"])) { error in
            XCTAssertTrue("\(error)".contains("line 5: 'abc' is not a number (value 1 of 45)"), "\(error)")
        }
    }

    func testEmptyOrMissingFolderSaysWhatWasExpected() throws {
        let empty = try DatasetsTestSupport.temporaryFolder("dsads-empty")
        defer { try? FileManager.default.removeItem(at: empty) }
        XCTAssertThrowsError(try DatasetCatalog.load("dsads", from: empty)) { error in
            XCTAssertTrue("\(error)".contains("a01…a19"), "\(error)")
        }
    }

    func testReferenceWindowingEqualsContiguousForDSADS() throws {
        let root = try makeFixture()
        defer { try? FileManager.default.removeItem(at: root) }
        let options = ["window": "4", "split": "subjects:3", "validation": "0"]
        let contiguous = try DatasetCatalog.load("dsads", from: root, options: options)
        let reference = try DatasetCatalog.load("dsads", from: root, options: options.merging(["windowing": "reference"]) { $1 })
        XCTAssertEqual(contiguous.windows, reference.windows)
    }

    func testRealRecordingsLoadWithASubjectHeldOut() throws {
        // HARLAB_DSADS or ../shared/data; a set-but-wrong path fails (shown: HARLAB_DSADS=/nonexistent failed
        // with "holds no DSADS recordings", where the old lookup skipped).
        let activities = try DatasetsTestSupport.requireRealDSADS()
        // Three of the 19 activities keep the debug-build test short; the release benchmark reads them all.
        let subset = try DatasetsTestSupport.temporaryFolder("dsads-subset")
        defer { try? FileManager.default.removeItem(at: subset) }
        for activity in ["a01", "a02", "a03"] {
            try FileManager.default.createDirectory(at: subset.appendingPathComponent("data"), withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(at: subset.appendingPathComponent("data/\(activity)"),
                                                       withDestinationURL: activities.appendingPathComponent(activity))
        }
        let data = try DatasetCatalog.load("dsads", from: subset, options: ["split": "subjects:6", "normalize": "off"])
        XCTAssertEqual(data.count, 6 * 3 * 99, "7500 rows per activity × subject, window 125, step 75")
        XCTAssertEqual(data.indices(in: .test).count, 3 * 99)
        XCTAssertEqual(data.subjects(in: .test), [6])
        // The first window is the first 125 rows of a01/p1/s01.txt, read here independently with Foundation.
        let text = try String(contentsOf: activities.appendingPathComponent("a01/p1/s01.txt"), encoding: .utf8)
        let expected = text.split(whereSeparator: \.isNewline).prefix(125).flatMap { $0.split(separator: ",").map { Float(Double($0)!) } }
        XCTAssertEqual(Array(data.windows[0..<(125 * 45)]), expected)
        XCTAssertThrowsError(try DatasetCatalog.load("dsads", from: subset)) { error in
            XCTAssertTrue("\(error)".contains("subjects 7, 8"), "\(error)")
        }
    }
}

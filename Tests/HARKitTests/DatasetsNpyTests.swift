import XCTest
@testable import HARKit
import TestSupport

final class DatasetsNpyTests: IsolatedTestCase {
    private var fixtures: URL { Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("npy") }

    func testReadsArraysWrittenByNumPy() throws {
        let data = try DatasetCatalog.load("npy", from: fixtures, options: ["validation": "0"])
        XCTAssertEqual(data.count, 6)
        XCTAssertEqual(data.windowLength, 3)
        XCTAssertEqual(data.channelCount, 2)
        XCTAssertEqual(Array(data.windows[0..<24]), (0..<24).map { Float($0) * 0.5 })
        XCTAssertEqual(Array(data.windows[24...]), (0..<12).map { -Float($0) })
        XCTAssertEqual(data.labels, [0, 1, 2, 1, 2, 0])
        XCTAssertEqual(data.splits, [.train, .train, .train, .train, .test, .test])
        XCTAssertEqual(data.classNames, ["class 0", "class 1", "class 2"])
    }

    func testWriterProducesNumPyIdenticalBytes() throws {
        let float32 = NpyArray.encode((0..<24).map { Float($0) * 0.5 }, shape: [4, 3, 2])
        XCTAssertEqual(float32, try Data(contentsOf: fixtures.appendingPathComponent("x_train.npy")))
        let int64 = NpyArray.encode([0, 1, 2, 1])
        XCTAssertEqual(int64, try Data(contentsOf: fixtures.appendingPathComponent("y_train.npy")))
    }

    func testWriteThenReadRestoresTheWholeDataset() throws {
        let folder = try DatasetsTestSupport.temporaryFolder("npy-roundtrip")
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = try DatasetCatalog.load("synthetic")
        let target = folder.appendingPathComponent("synthetic")
        try NpyFolder.write(original, to: target)
        let copy = try DatasetCatalog.load("npy", from: target)
        XCTAssertEqual(copy.windows, original.windows)
        XCTAssertEqual(copy.labels, original.labels)
        XCTAssertEqual(copy.subjects, original.subjects)
        XCTAssertEqual(copy.splits, original.splits)
        XCTAssertEqual(copy.classNames, original.classNames)
        XCTAssertEqual(copy.channelNames, original.channelNames)
        XCTAssertEqual(copy.protocolDescription, original.protocolDescription)
        XCTAssertEqual(try TextFile.names(in: folder), ["synthetic"], "no temporary folder left behind")
    }

    func testMissingArrayIsNamed() throws {
        let folder = try DatasetsTestSupport.temporaryFolder("npy-missing")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent("x_train.npy"), to: folder.appendingPathComponent("x_train.npy"))
        XCTAssertThrowsError(try DatasetCatalog.load("npy", from: folder)) { error in
            XCTAssertTrue("\(error)".contains("missing y_train.npy"), "\(error)")
        }
    }

    func testTruncatedArrayIsRejected() throws {
        let folder = try DatasetsTestSupport.temporaryFolder("npy-truncated")
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in NpyFolder.arrayNames {
            try FileManager.default.copyItem(at: fixtures.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        let bytes = try Data(contentsOf: folder.appendingPathComponent("x_test.npy"))
        try bytes.prefix(bytes.count - 8).write(to: folder.appendingPathComponent("x_test.npy"))
        XCTAssertThrowsError(try DatasetCatalog.load("npy", from: folder)) { error in
            XCTAssertTrue("\(error)".contains("x_test.npy': truncated .npy data"), "\(error)")
        }
    }
}

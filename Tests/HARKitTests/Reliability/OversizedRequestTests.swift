import Foundation
import XCTest
@testable import HARKit
import TestSupport

/// The requests that crashed the process before the resource checks: each is now an error that says why.
final class OversizedRequestTests: IsolatedTestCase {
    func testAWindowOfIntMaxIsAnErrorNotATrap() {
        XCTAssertThrowsError(try DatasetCatalog.load("synthetic", options: ["window": "\(Int.max)", "overlap": "0"])) { error in
            XCTAssertTrue("\(error)".contains("longer than every recording"), "\(error)")
        }
    }

    func testResamplingBeyondTheMemoryLimitIsRejectedBeforeAllocating() {
        XCTAssertThrowsError(try DatasetCatalog.load("synthetic", options: ["rate": "1e300"])) { error in
            XCTAssertTrue("\(error)".contains("resampling to 1e+300 Hz would need about") && "\(error)".contains("the limit here is"), "\(error)")
        }
    }

    /// With subnormal floats flushed to zero (harlab's default, `ctorch_denormals.h`) 1e-320 compares as 0 and is
    /// refused as not positive; with them kept (`HARLAB_DENORMALS=keep`) as too low to resample. An error either way.
    func testADenormalRateIsAnErrorNotATrap() {
        XCTAssertThrowsError(try DatasetCatalog.load("synthetic", options: ["rate": "1e-320"])) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("is too low to resample") || message.contains("bad value '1e-320' for rate: expected a positive rate"),
                          message)
        }
    }

    func testTooManyWindowsAreRejectedBeforeAllocating() {
        let saved = ResourceLimits.datasetValues
        ResourceLimits.datasetValues = 1 << 20
        defer { ResourceLimits.datasetValues = saved }
        XCTAssertThrowsError(try DatasetCatalog.load("synthetic", options: ["window": "64", "overlap": "0.98"])) { error in
            XCTAssertTrue("\(error)".contains("windows of 64 samples would need about"), "\(error)")
        }
    }

    func testAnNpyLabelFarBeyondAnyClassIsAnErrorNamingTheFile() throws {
        let folder = try DatasetsTestSupport.temporaryFolder("npy-label")
        defer { try? FileManager.default.removeItem(at: folder) }
        try NpyArray.encode([Float](repeating: 0, count: 2 * 4 * 3), shape: [2, 4, 3]).write(to: folder.appendingPathComponent("x_train.npy"))
        try NpyArray.encode([Float](repeating: 0, count: 4 * 3), shape: [1, 4, 3]).write(to: folder.appendingPathComponent("x_test.npy"))
        try NpyArray.encode([0, 1 << 60]).write(to: folder.appendingPathComponent("y_train.npy"))
        try NpyArray.encode([1]).write(to: folder.appendingPathComponent("y_test.npy"))
        XCTAssertThrowsError(try DatasetCatalog.load("npy", from: folder)) { error in
            XCTAssertTrue("\(error)".contains("y_train.npy") && "\(error)".contains("is not a class index"), "\(error)")
        }
    }

    func testAnNpyHeaderWithANegativeDimensionIsAnError() throws {
        let folder = try DatasetsTestSupport.temporaryFolder("npy-shape")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("x.npy")
        var bytes = NpyArray.encode([Float](repeating: 0, count: 6), shape: [2, 3])
        let range = try XCTUnwrap(bytes.range(of: Data("(2, 3)".utf8)))
        bytes.replaceSubrange(range, with: Data("(-2,3)".utf8))
        try bytes.write(to: url)
        XCTAssertThrowsError(try NpyArray.Header(url)) { error in
            XCTAssertTrue("\(error)".contains("x.npy") && "\(error)".contains("is not a size"), "\(error)")
        }
    }
}

import XCTest
@testable import HARKit
import TestSupport

final class ReplaySpeedTests: IsolatedTestCase {
    func testParsesFactorsAndMaxAndRefusesTheRestByName() throws {
        XCTAssertEqual(try ReplaySpeed(parsing: "10"), .times(10))
        XCTAssertEqual(try ReplaySpeed(parsing: "0.5"), .times(0.5))
        XCTAssertEqual(try ReplaySpeed(parsing: "max"), .max)
        for bad in ["0", "-2", "fast", "inf", "nan", ""] {
            XCTAssertThrowsError(try ReplaySpeed(parsing: bad), bad) {
                XCTAssertEqual(($0 as? ReplayError)?.message,
                               "bad speed '\(bad)': expected a positive factor of real time (speed=10 plays ten times faster) or speed=max")
            }
        }
        XCTAssertEqual(ReplaySpeed.times(10).description, "10×")
        XCTAssertEqual(ReplaySpeed.times(2.5).description, "2.5×")
    }

    /// At 50 Hz and 10× a sample is due every 2 ms: sample 100 at 0.2 s.
    func testWaitsUntilEachSampleIsDue() {
        XCTAssertEqual(ReplaySpeed.times(10).wait(beforeSample: 100, rate: 50, elapsed: 0.15), 0.05, accuracy: 1e-12)
        XCTAssertEqual(ReplaySpeed.times(10).wait(beforeSample: 100, rate: 50, elapsed: 0.3), 0)
        XCTAssertEqual(ReplaySpeed.times(1).wait(beforeSample: 50, rate: 50, elapsed: 0), 1, accuracy: 1e-12)
        XCTAssertEqual(ReplaySpeed.max.wait(beforeSample: 1_000_000, rate: 50, elapsed: 0), 0)
    }
}

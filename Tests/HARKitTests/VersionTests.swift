import XCTest
@testable import HARKit
import TestSupport

final class VersionTests: IsolatedTestCase {
    func testVersionsNameLibtorch() {
        XCTAssertTrue(HARKit.versions["libtorch"]?.hasPrefix("1.") == true || HARKit.versions["libtorch"]?.hasPrefix("2.") == true)
    }
}

import XCTest
@testable import HARShell

final class BannerTests: BoundedTestCase {
    func testBannerNamesTheVersion() {
        XCTAssertTrue(HARShell.banner.contains("harlab"))
    }
}

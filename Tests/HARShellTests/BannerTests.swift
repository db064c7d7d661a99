import XCTest
@testable import HARShell

final class BannerTests: XCTestCase {
    func testBannerNamesTheVersion() {
        XCTAssertTrue(HARShell.banner.contains("harlab"))
    }
}

import XCTest
@testable import HARShell

final class BannerTests: IsolatedTestCase {
    func testBannerNamesTheVersion() {
        XCTAssertTrue(HARShell.banner.contains("harlab"))
    }
}

import XCTest
@testable import HARShell
import TestSupport

final class BannerTests: IsolatedTestCase {
    func testBannerNamesTheVersion() {
        XCTAssertTrue(HARShell.banner.contains("harlab"))
    }
}

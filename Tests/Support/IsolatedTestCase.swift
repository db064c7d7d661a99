import XCTest
import Torch

/// The base of the test cases of every libtorch-using test target (a `BoundedTestCase`, so each test also has a time
/// limit). All test targets run in one process, so a libtorch setting one test leaves behind changes what later tests
/// compute, depending on their order (issue 19). Here a test that leaves the thread count, gradient recording or
/// autocast changed fails; and the random generator, which any random draw moves, is put back after every test, so
/// each test starts from the state the one before it found.
open class IsolatedTestCase: BoundedTestCase {
    open override func invokeTest() {
        let settings = RuntimeSettings.current
        let random = try? Runtime.randomState()
        super.invokeTest()
        if let random { XCTAssertNoThrow(try Runtime.setRandomState(random), "restoring the random generator") }
        XCTAssertEqual(RuntimeSettings.current, settings, "the test left libtorch's settings changed: restore them where it changes them")
    }
}

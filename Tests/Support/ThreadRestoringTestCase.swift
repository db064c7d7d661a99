import Torch
import XCTest

/// A test case for tests that change libtorch's thread count on purpose (`set threads`, or a `ShellProgram`, which
/// applies the thread setting when it starts): the count is put back after each test, before `IsolatedTestCase`
/// checks that nothing was left changed.
open class ThreadRestoringTestCase: IsolatedTestCase {
    private var threadsBefore = 0

    open override func setUp() {
        super.setUp()
        threadsBefore = Runtime.threads
    }

    open override func tearDown() {
        try? Runtime.setThreads(threadsBefore)
        super.tearDown()
    }
}

import Foundation
import XCTest

/// A test case with a time limit: a test still running after `limit` seconds prints which test hung and ends the test
/// process with status 1. An in-process hang (training that no longer polls Ctrl-C, a lock never released) cannot be
/// cancelled from outside, and XCTest's `executionTimeAllowance` is not enforced on Linux; without this, CI would
/// wait for its 90-minute limit and not say which test hung.
///
/// The limit is 15 minutes per test (the debug-build example scripts take a few); `HARLAB_TEST_LIMIT=SECONDS` sets
/// another, and `HARLAB_STRESS=1` (the long fuzz and kill loops) raises it to 6 hours.
open class BoundedTestCase: XCTestCase {
    /// Seconds one test may run.
    public static var limit: TimeInterval {
        let environment = ProcessInfo.processInfo.environment
        if let text = environment["HARLAB_TEST_LIMIT"], let seconds = TimeInterval(text), seconds > 0 { return seconds }
        return ["1", "yes", "true", "on"].contains(environment["HARLAB_STRESS"]?.lowercased() ?? "") ? 6 * 3600 : 900
    }

    open override func invokeTest() {
        let name = self.name, limit = Self.limit
        let watchdog = DispatchWorkItem {
            let message = "error: \(name) is still running after \(Int(limit)) s: it hangs (watchdog; HARLAB_TEST_LIMIT=SECONDS sets another limit). "
                + "Test Case '\(name)' failed\n"
            FileHandle.standardOutput.write(Data(message.utf8))
            FileHandle.standardError.write(Data(message.utf8))
            // _exit, not exit: the hung test is still running on another thread, and exit's destructors would crash under it.
            _exit(1)
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + limit, execute: watchdog)
        defer { watchdog.cancel() }
        super.invokeTest()
    }
}

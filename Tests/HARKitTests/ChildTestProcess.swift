import Foundation
import TestSupport
import XCTest

/// This test binary started again to run a single test (`Suite/testName`) in a child process, with extra
/// environment variables and its output discarded: how the kill and concurrency tests get a real second process.
enum ChildTestProcess {
    /// Starts `HARKitTests.<test>` with `extra` added to this process's environment.
    static func start(_ test: String, environment extra: [String: String]) throws -> Process {
        let process = Process()
        process.executableURL = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = ["HARKitTests.\(test)"]
        process.environment = ProcessInfo.processInfo.environment.merging(extra) { _, new in new }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// What an entry point's skip says, so that CI's skip report (scripts/skip-report.sh) counts entry points apart:
    /// they are not tests, only the code a test's child process runs.
    static let entryPointMarker = "[child-process entry point]"

    /// The value of `variable`, which the test that starts this child sets; outside such a child, a skip carrying
    /// `entryPointMarker` (the method is a child process's entry point, not a test).
    static func entryPoint(_ variable: String, startedBy test: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[variable] else {
            throw XCTSkip("\(entryPointMarker) runs only inside the child process \(test) starts")
        }
        return value
    }

    /// Waits for `process` to end; after `seconds` kills it and throws, so a hung child fails the test instead of CI.
    static func wait(for process: Process, seconds: TimeInterval) throws {
        try ProcessDeadline.wait(for: process, seconds: seconds, "the child test process")
    }
}

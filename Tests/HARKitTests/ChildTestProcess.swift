import Foundation

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

    /// Waits for `process` to end; after `seconds` kills it and throws, so a hung child fails the test instead of CI.
    static func wait(for process: Process, seconds: TimeInterval) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning {
            guard Date() < deadline else {
                process.terminate()
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                throw ChildProcessTimeout(seconds: seconds)
            }
            usleep(2000)
        }
        process.waitUntilExit()
    }
}

/// A child test process that did not end in time.
struct ChildProcessTimeout: Error, CustomStringConvertible {
    let seconds: TimeInterval
    var description: String { "the child process did not end within \(Int(seconds)) s and was killed" }
}

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
}

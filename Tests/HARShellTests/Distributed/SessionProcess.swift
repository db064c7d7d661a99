import Foundation
import TestSupport
import XCTest

/// A `har` session as a real child process fed commands on standard input as a test goes (a pipe, so `har` runs
/// them as a script with `--keep-going`), its output going to files that the test polls — the shape of a person
/// typing into a session while watching it, for the tests of `set workers`.
final class SessionProcess {
    /// The process.
    let process: Process
    /// Its HOME, also holding its run store.
    let home: URL
    /// The run store it records into.
    let store: URL
    private let input = Pipe()
    private let stdout: URL, stderr: URL

    /// Starts `har --no-rc --quiet --json --keep-going` with `environment` added to the test's.
    init(environment extra: [String: String] = [:]) throws {
        home = temporaryFolder()
        store = home.appendingPathComponent("runs.sqlite")
        stdout = home.appendingPathComponent("session.out")
        stderr = home.appendingPathComponent("session.err")
        try Data().write(to: stdout)
        try Data().write(to: stderr)
        process = Process()
        process.executableURL = try HarBinary.required()
        process.arguments = ["--no-rc", "--quiet", "--json", "--keep-going"]
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = home.path
        environment["HAR_RUNS"] = store.path
        for name in ["MASTER_ADDR", "MASTER_PORT", "RANK", "WORLD_SIZE"] { environment.removeValue(forKey: name) }
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        process.standardInput = input
        process.standardOutput = try FileHandle(forWritingTo: stdout)
        process.standardError = try FileHandle(forWritingTo: stderr)
        try process.run()
    }

    /// What it wrote to standard output so far (one JSON result per line).
    var output: String { (try? String(contentsOf: stdout, encoding: .utf8)) ?? "" }
    /// What it wrote to standard error so far.
    var errors: String { (try? String(contentsOf: stderr, encoding: .utf8)) ?? "" }
    /// Both, for failure messages.
    var transcript: String { "stdout:\n\(output)\n--- stderr:\n\(errors)" }

    /// Types `lines` into the session.
    func send(_ lines: String...) {
        input.fileHandleForWriting.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }

    /// Ends its input (end of file: `har` leaves after the commands sent).
    func close() throws { try input.fileHandleForWriting.close() }

    /// Waits until standard output (or error, when `inErrors`) contains `text`, failing after `seconds` or when
    /// the session ends first.
    func waitFor(_ text: String, inErrors: Bool = false, seconds: TimeInterval = 120) throws {
        let end = Date().addingTimeInterval(seconds)
        while !(inErrors ? errors : output).contains(text) {
            guard Date() < end, process.isRunning else {
                throw RankWaitFailure(description: "the session did not write '\(text)' within \(Int(seconds)) s or ended first:\n" + transcript)
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Waits for it to end (killing it after `seconds`); its exit status.
    @discardableResult
    func wait(seconds: TimeInterval = 120) throws -> Int32 {
        try ProcessDeadline.wait(for: process, seconds: seconds, "the har session")
        return process.terminationStatus
    }

    /// Every `--json` result it printed with `command`, in order.
    func results(of command: String) -> [[String: Any]] {
        output.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  object["command"] as? String == command else { return nil }
            return object
        }
    }

    /// The process ids of the workers the latest `status` listed.
    var workerPIDs: [Int32] {
        (results(of: "status").last?["worker_pids"] as? [Int])?.map(Int32.init) ?? []
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Whether process `pid` has ended (gone, or a zombie nobody reaped yet).
    static func hasEnded(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        // The state letter follows the parenthesised command name.
        guard let close = stat.lastIndex(of: ")") else { return true }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state == "Z" || state == "X"
    }

    /// Waits up to `seconds` for every process of `pids` to end; those still running.
    static func running(_ pids: [Int32], after seconds: TimeInterval) -> [Int32] {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end, pids.contains(where: { !hasEnded($0) }) { Thread.sleep(forTimeInterval: 0.05) }
        return pids.filter { !hasEnded($0) }
    }
}

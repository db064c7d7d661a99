import Foundation
import TestSupport
import XCTest

/// The ranks of one distributed `har` job on loopback, each a real child process with the launch contract in its
/// environment (MASTER_ADDR=127.0.0.1, MASTER_PORT, RANK, WORLD_SIZE, LOCAL_RANK), all sharing one run store.
/// Standard output and error go to files, read when a rank has ended (or while it runs, to wait for a line).
final class RankProcesses {
    /// One rank's process and its output files.
    struct Rank {
        let process: Process
        let stdout: URL
        let stderr: URL

        /// What the rank has written to standard output so far.
        var output: String { (try? String(contentsOf: stdout, encoding: .utf8)) ?? "" }
        /// What the rank has written to standard error so far.
        var errors: String { (try? String(contentsOf: stderr, encoding: .utf8)) ?? "" }
        /// Its exit status (after `wait`).
        var status: Int32 { process.terminationStatus }
    }

    /// The ranks, in rank order.
    let ranks: [Rank]
    /// The run store every rank was pointed at.
    let store: URL
    /// The store's port.
    let port: Int

    /// Starts one `har --no-rc --quiet [extra] -c script(rank)` per rank.
    /// - Parameters:
    ///   - worldSizes: each rank's WORLD_SIZE (normally all the same).
    ///   - rankNumbers: each process's RANK (default 0..<count).
    ///   - environment: more variables for every rank.
    init(worldSizes: [Int], rankNumbers: [Int]? = nil, port: Int? = nil, timeout: Int = 20, arguments: [String] = [],
         environment: [String: String] = [:], script: (Int) -> String) throws {
        let binary = try HarBinary.required()
        let folder = temporaryFolder()
        store = folder.appendingPathComponent("runs.sqlite")
        self.port = try port ?? LoopbackPort.free()
        let numbers = rankNumbers ?? Array(0..<worldSizes.count)
        var started: [Rank] = []
        for (index, worldSize) in worldSizes.enumerated() {
            let rank = numbers[index]
            let process = Process()
            process.executableURL = binary
            process.arguments = ["--no-rc", "--quiet"] + arguments + ["-c", script(rank)]
            var variables = ["HOME": folder.appendingPathComponent("home\(index)").path, "HAR_RUNS": store.path,
                             "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": "\(self.port)", "RANK": "\(rank)",
                             "WORLD_SIZE": "\(worldSize)", "LOCAL_RANK": "\(rank)", "HARLAB_DIST_TIMEOUT": "\(timeout)",
                             "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
            for (key, value) in environment { variables[key] = value }
            process.environment = variables
            let stdout = folder.appendingPathComponent("rank\(index).out"), stderr = folder.appendingPathComponent("rank\(index).err")
            try Data().write(to: stdout)
            try Data().write(to: stderr)
            process.standardOutput = try FileHandle(forWritingTo: stdout)
            process.standardError = try FileHandle(forWritingTo: stderr)
            process.standardInput = FileHandle.nullDevice
            try process.run()
            started.append(Rank(process: process, stdout: stdout, stderr: stderr))
        }
        ranks = started
    }

    /// Waits for every rank to end, killing all after `seconds`.
    func wait(seconds: TimeInterval = 240) throws {
        for (index, rank) in ranks.enumerated() {
            try ProcessDeadline.wait(for: rank.process, seconds: seconds, "rank \(index) of \(ranks.count)")
        }
    }

    /// Waits until rank `index` has written `text` to standard output (failing after `seconds`).
    func waitForOutput(of index: Int, containing text: String, seconds: TimeInterval = 240) throws {
        let end = Date().addingTimeInterval(seconds)
        while !ranks[index].output.contains(text) {
            guard Date() < end, ranks[index].process.isRunning else {
                throw RankWaitFailure(description: "rank \(index) did not write '\(text)' within \(Int(seconds)) s or ended first:\n" + transcript)
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    /// Everything every rank said, for failure messages.
    var transcript: String {
        ranks.enumerated().map { "rank \($0.offset) (status \($0.element.process.isRunning ? -1 : $0.element.status)):\n"
            + $0.element.output + "\n--- stderr:\n" + $0.element.errors }.joined(separator: "\n=====\n")
    }

    /// Kills every rank still running (a test that failed half-way must not leave processes behind).
    deinit {
        for rank in ranks where rank.process.isRunning { kill(rank.process.processIdentifier, SIGKILL) }
    }
}

/// A rank that did not write what a test waited for.
struct RankWaitFailure: Error, CustomStringConvertible {
    /// What was awaited, and every rank's output.
    let description: String
}

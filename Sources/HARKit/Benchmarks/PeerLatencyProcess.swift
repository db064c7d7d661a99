import Foundation

/// A long-lived `scripts/peer_latency.py` (PyTorch's batch-1 latency of the same models), asked one model and shape
/// at a time over its stdin, so that harlab's and PyTorch's measurements alternate without an interpreter start
/// between them.
public final class PeerLatencyProcess {
    /// PyTorch's answer for one model and shape.
    public struct Answer: Sendable {
        /// The tool and version, e.g. `pytorch-2.15.0+cu132`.
        public let tool: String
        /// Median wall time of a call in milliseconds.
        public let wallP50: Double
        /// Median process CPU time of a call in milliseconds.
        public let cpuP50: Double
        /// libtorch threads PyTorch used.
        public let threads: Int
    }

    private let process = Process()
    private let input = Pipe(), output = Pipe()
    private var pending = Data()

    /// Starts `script` with `python` on `threads` threads (nil: PyTorch's own default).
    /// - Throws: `BenchmarkError` when the script is missing or cannot start.
    public init(python: String, script: String = "scripts/peer_latency.py", threads: Int?) throws {
        guard FileManager.default.fileExists(atPath: script) else { throw BenchmarkError("peer latency script not found at \(script)") }
        process.executableURL = URL(fileURLWithPath: python.contains("/") ? python : "/usr/bin/env")
        let arguments = [script, "--threads", "\(threads ?? 0)"]
        process.arguments = python.contains("/") ? arguments : [python] + arguments
        (process.standardInput, process.standardOutput) = (input, output)
        do { try process.run() } catch { throw BenchmarkError("cannot start \(python) \(script): \(error)") }
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// PyTorch's batch-1 latency of `model` on `dataset` over `repetitions` calls.
    /// - Throws: `BenchmarkError` when the script exits or answers something else than a latency line.
    public func measure(model: String, dataset: String, repetitions: Int) throws -> Answer {
        input.fileHandleForWriting.write(Data("\(model) \(dataset) \(repetitions)\n".utf8))
        let line = try nextLine()
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let wall = object["latency_p50_ms"] as? Double, let cpu = object["cpu_p50_ms"] as? Double,
              let tool = object["tool"] as? String, let threads = object["threads"] as? Int else {
            throw BenchmarkError("peer latency script answered '\(line)' for \(model) on \(dataset)")
        }
        return Answer(tool: tool, wallP50: wall, cpuP50: cpu, threads: threads)
    }

    private func nextLine() throws -> String {
        while true {
            if let end = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[pending.startIndex..<end], as: UTF8.self)
                pending.removeSubrange(pending.startIndex...end)
                return line
            }
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw BenchmarkError("peer latency script exited (status \(process.isRunning ? 0 : process.terminationStatus))") }
            pending.append(chunk)
        }
    }
}

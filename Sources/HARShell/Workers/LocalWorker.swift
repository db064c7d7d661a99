import Foundation

/// One worker process this session started on this machine (`har worker --join 127.0.0.1:PORT`), with the end of
/// its standard error kept for messages (a worker prints nothing unless it fails to start or its session vanishes).
final class LocalWorker {
    /// The process.
    let process: Process
    /// The last few kilobytes of its standard error.
    private let errors = ErrorTail()

    /// Starts `executable worker --join address --data-dir dataDirectory` with `environment`.
    /// - Throws: when the executable cannot be started.
    init(executable: URL, joining address: String, dataDirectory: URL, environment: [String: String]) throws {
        process = Process()
        process.executableURL = executable
        process.arguments = ["worker", "--join", address, "--data-dir", dataDirectory.path]
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let pipe = Pipe()
        let errors = errors
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            // Empty at the end of the stream: stop listening, or the handler would be called again and again.
            if data.isEmpty {
                handle.readabilityHandler = nil
                errors.end()
            } else {
                errors.append(data)
            }
        }
        process.standardError = pipe
        try process.run()
        // The worker holds the write end now; this process's copy, left open, would keep the stream from ever ending.
        try? pipe.fileHandleForWriting.close()
    }

    /// Its process id.
    var pid: Int32 { process.processIdentifier }

    /// Whether it still runs.
    var isRunning: Bool { process.isRunning }

    /// How it ended, in words, with what it said on standard error (`was killed by signal 9`); waits up to 1 s for
    /// the end of that stream, whose last bytes may still be on their way when the process has ended.
    var ending: String {
        guard !process.isRunning else { return "is still running" }
        let how = process.terminationReason == .uncaughtSignal
            ? "was killed by signal \(process.terminationStatus)" : "exited with status \(process.terminationStatus)"
        let said = errors.text(waiting: 1).trimmingCharacters(in: .whitespacesAndNewlines)
        return how + (said.isEmpty ? "" : ": \(said)")
    }

    /// Waits up to `seconds` for it to end by itself, then kills it (SIGKILL) and reaps it.
    func stop(within seconds: TimeInterval) {
        let end = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < end { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

/// The end of a stream, kept as it arrives from another thread (at most `limit` bytes), and whether the stream ended.
private final class ErrorTail: @unchecked Sendable {
    private let condition = NSCondition()
    private var bytes = Data()
    private let limit = 4096
    /// Whether the stream ended, or a reader stopped waiting for its end (later readers then do not wait again).
    private var ended = false

    /// Appends `data`, dropping the oldest bytes past the limit.
    func append(_ data: Data) {
        condition.lock()
        defer { condition.unlock() }
        bytes.append(data)
        if bytes.count > limit { bytes = bytes.suffix(limit) }
    }

    /// Marks the end of the stream.
    func end() {
        condition.lock()
        defer { condition.unlock() }
        ended = true
        condition.broadcast()
    }

    /// What was kept, as text, once the stream has ended or `seconds` have passed.
    func text(waiting seconds: TimeInterval) -> String {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(seconds)
        while !ended, condition.wait(until: deadline) {}
        ended = true
        return String(decoding: bytes, as: UTF8.self)
    }
}

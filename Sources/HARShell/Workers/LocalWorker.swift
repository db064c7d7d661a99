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
            if data.isEmpty { handle.readabilityHandler = nil } else { errors.append(data) }
        }
        process.standardError = pipe
        try process.run()
    }

    /// Its process id.
    var pid: Int32 { process.processIdentifier }

    /// Whether it still runs.
    var isRunning: Bool { process.isRunning }

    /// How it ended, in words, with what it said on standard error (`was killed by signal 9`).
    var ending: String {
        guard !process.isRunning else { return "is still running" }
        let how = process.terminationReason == .uncaughtSignal
            ? "was killed by signal \(process.terminationStatus)" : "exited with status \(process.terminationStatus)"
        let said = errors.text.trimmingCharacters(in: .whitespacesAndNewlines)
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

/// The end of a stream, kept as it arrives from another thread (at most `limit` bytes).
private final class ErrorTail: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes = Data()
    private let limit = 4096

    /// Appends `data`, dropping the oldest bytes past the limit.
    func append(_ data: Data) {
        lock.lock()
        defer { lock.unlock() }
        bytes.append(data)
        if bytes.count > limit { bytes = bytes.suffix(limit) }
    }

    /// What was kept, as text.
    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: bytes, as: UTF8.self)
    }
}

import Foundation

/// A bound on a child process (the `har` binary, a child test process): past `seconds` it is killed with SIGKILL,
/// which also ends any read of its pipes, and `check` throws. A regression that hangs (Ctrl-C no longer stopping
/// training, a prompt waiting for input) then fails its test with a message instead of holding CI until its time limit.
public final class ProcessDeadline: @unchecked Sendable {
    /// Whether the clock ran out, shared with the timer.
    private final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() { lock.lock(); value = true; lock.unlock() }
        var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
    }

    private let killed = Flag()
    private let item: DispatchWorkItem
    private let seconds: TimeInterval

    /// Starts the clock for `process`, which must be running.
    public init(killing process: Process, after seconds: TimeInterval) {
        self.seconds = seconds
        let pid = process.processIdentifier, killed = killed
        item = DispatchWorkItem {
            killed.set()
            kill(pid, SIGKILL)
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: item)
    }

    deinit { item.cancel() }

    /// Stops the clock; throws when it had run out (the process was killed).
    public func check(_ what: String) throws {
        item.cancel()
        if killed.isSet { throw ProcessTimeout(what: what, seconds: seconds) }
    }

    /// Waits for `process` to exit within `seconds`, killing it and throwing otherwise.
    public static func wait(for process: Process, seconds: TimeInterval, _ what: String) throws {
        let deadline = ProcessDeadline(killing: process, after: seconds)
        process.waitUntilExit()
        try deadline.check(what)
    }
}

/// A child process that did not end in time.
public struct ProcessTimeout: Error, CustomStringConvertible {
    /// The process, in words.
    public let what: String
    /// The bound it ran past.
    public let seconds: TimeInterval
    public var description: String { "\(what) did not end within \(Int(seconds)) s and was killed" }
}

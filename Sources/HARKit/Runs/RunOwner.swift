import Foundation

/// The process that records a running run: enough for any later process on the same machine to tell whether it
/// still lives, even after its pid was reused or the machine restarted.
///
/// The identity is the host name, the kernel's boot id, the pid and the process's start time (clock ticks after
/// boot, field 22 of `/proc/PID/stat`); a pid alone could name an unrelated process that came later.
struct RunOwner: Sendable, Equatable {
    /// The machine's host name.
    var host: String
    /// The kernel's boot id (`/proc/sys/kernel/random/boot_id`); empty when unknown.
    var bootID: String
    /// The process id.
    var pid: Int32
    /// When the process started, in clock ticks after boot; nil when unknown.
    var startTicks: Int64?

    /// This process.
    static let current = RunOwner(host: ProcessInfo.processInfo.hostName, bootID: RunOwner.currentBootID(), pid: getpid(),
                                  startTicks: RunOwner.startTicks(of: getpid()))

    /// Whether this owner is still running: `nil` when it cannot be told from this machine (another host).
    func isAlive(seenFrom machine: RunOwner = .current) -> Bool? {
        guard host == machine.host else { return nil }
        if !bootID.isEmpty, !machine.bootID.isEmpty, bootID != machine.bootID { return false }
        if kill(pid, 0) != 0, errno == ESRCH { return false }
        if let startTicks, let now = RunOwner.startTicks(of: pid), now != startTicks { return false }
        return true
    }

    /// The start time of process `pid` in clock ticks after boot, or nil when `/proc` does not tell.
    static func startTicks(of pid: Int32) -> Int64? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let closing = stat.lastIndex(of: ")") else { return nil }
        // After the command name in parentheses come the fields from 3 (state) on; the start time is field 22.
        let fields = stat[stat.index(after: closing)...].split(separator: " ")
        return fields.count > 19 ? Int64(fields[19]) : nil
    }

    private static func currentBootID() -> String {
        ((try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8)) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

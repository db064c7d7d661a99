import Foundation
import Torch

/// How many threads libtorch computes with, and why: what `set threads auto` (the default) means.
///
/// Debian's libtorch 1.13 starts with one intra-op thread on some machines, so "libtorch's choice" left a user with
/// one core of several. Automatic means the cores this process may use: `OMP_NUM_THREADS` when set (the usual way to
/// ask a libtorch or OpenMP program for a count), else the CPUs of the process's affinity mask, capped by a cgroup CPU
/// quota (`cpu.max` of cgroup v2, or v1's `cpu.cfs_quota_us` / `cpu.cfs_period_us`) rounded up.
public struct ThreadBudget: Sendable, Equatable, CustomStringConvertible {
    /// Threads to use.
    public var count: Int
    /// Why this many, in words (`2 CPUs this process may use`).
    public var reason: String

    /// A budget of `count` threads for `reason`.
    public init(count: Int, reason: String) {
        self.count = count
        self.reason = reason
    }

    /// `count` followed by its reason: `2 (the 2 CPUs this process may use)`.
    public var description: String { "\(count) (\(reason))" }

    /// The automatic budget of this process on this machine.
    public static func automatic(environment: [String: String] = ProcessInfo.processInfo.environment) -> ThreadBudget {
        resolve(ompNumThreads: environment["OMP_NUM_THREADS"], affinityCPUs: affinityCPUCount(),
                cgroupLimit: cgroupCPULimit())
    }

    /// The automatic budget from what the machine says.
    /// - Parameters:
    ///   - ompNumThreads: the `OMP_NUM_THREADS` variable, if set; honoured when it starts with a positive integer
    ///     (OpenMP reads `4,2` as 4 at the outer level).
    ///   - affinityCPUs: CPUs in the affinity mask.
    ///   - cgroupLimit: CPUs the cgroup quota allows (fractional), nil without a quota.
    public static func resolve(ompNumThreads: String?, affinityCPUs: Int, cgroupLimit: Double?) -> ThreadBudget {
        if let text = ompNumThreads?.split(separator: ",").first.map({ $0.trimmingCharacters(in: .whitespaces) }),
           let requested = Int(text), requested >= 1 {
            return ThreadBudget(count: requested, reason: "OMP_NUM_THREADS=\(ompNumThreads ?? "")")
        }
        let cpus = max(1, affinityCPUs)
        if let cgroupLimit, cgroupLimit > 0, Int(cgroupLimit.rounded(.up)) < cpus {
            let quota = max(1, Int(cgroupLimit.rounded(.up)))
            return ThreadBudget(count: quota, reason: "the cgroup CPU quota of \(String(format: "%g", cgroupLimit)) CPUs (of \(cpus) in the affinity mask)")
        }
        return ThreadBudget(count: cpus, reason: "the \(counted(cpus, "CPU")) this process may use")
    }

    /// CPUs the quota in a cgroup v2 `cpu.max` ("QUOTA PERIOD" or "max PERIOD") or a v1 quota/period pair allows.
    public static func cpuLimit(quota: String, period: String) -> Double? {
        guard let quota = Double(quota.trimmingCharacters(in: .whitespacesAndNewlines)), quota > 0,
              let period = Double(period.trimmingCharacters(in: .whitespacesAndNewlines)), period > 0 else { return nil }
        return quota / period
    }

    /// Makes libtorch compute with `count` threads.
    /// - Throws: `TorchError` when libtorch refuses the count.
    public func apply() throws { try Runtime.setThreads(count) }

    /// The threads libtorch computes with now.
    public static var inEffect: Int { Runtime.threads }

    /// CPUs in a `Cpus_allowed_list` of /proc (`0-3,8,10-11` is 7); nil when the text is not such a list.
    public static func cpuCount(inList list: String) -> Int? {
        var count = 0
        for part in list.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",") {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
            switch bounds.count {
            case 1: guard bounds[0] != nil else { return nil }; count += 1
            case 2:
                guard let low = bounds[0], let high = bounds[1], low <= high else { return nil }
                count += high - low + 1
            default: return nil
            }
        }
        return count > 0 ? count : nil
    }

    /// CPUs of this process's affinity mask (from /proc/self/status), else the processors the system has online.
    private static func affinityCPUCount() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let list = status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") }?.dropFirst("Cpus_allowed_list:".count)
        return list.flatMap { cpuCount(inList: String($0)) } ?? ProcessInfo.processInfo.activeProcessorCount
    }

    private static func cgroupCPULimit() -> Double? {
        func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }
        if let line = read("/sys/fs/cgroup/cpu.max") {
            let fields = line.split(separator: " ").map(String.init)
            return fields.count == 2 ? cpuLimit(quota: fields[0], period: fields[1]) : nil
        }
        if let quota = read("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"), let period = read("/sys/fs/cgroup/cpu/cpu.cfs_period_us") {
            return cpuLimit(quota: quota, period: period)
        }
        return nil
    }
}

import Foundation

/// How hard the reliability tests push: a small count in CI, the full count with `HARLAB_STRESS=1`.
enum StressMode {
    /// Whether `HARLAB_STRESS` asks for the full counts.
    static var isOn: Bool { ["1", "yes", "true", "on"].contains(ProcessInfo.processInfo.environment["HARLAB_STRESS"]?.lowercased() ?? "") }

    /// `full` under stress mode, `quick` otherwise.
    static func count(quick: Int, full: Int) -> Int { isOn ? full : quick }

    /// The seed of generated inputs: `HARLAB_SEED` when set (to replay a failure), else `fallback`.
    static func seed(_ fallback: UInt64) -> UInt64 {
        ProcessInfo.processInfo.environment["HARLAB_SEED"].flatMap(UInt64.init) ?? fallback
    }
}

import CTorch

/// The libtorch settings code may change for a while and must put back: the intra-op thread count (process-wide) and
/// gradient recording and autocast (this thread's). Two snapshots that differ show a change left behind.
public struct RuntimeSettings: Sendable, Equatable, CustomStringConvertible {
    /// Intra-op threads, as `Runtime.threads`.
    public let threads: Int
    /// Whether autograd records operations on this thread, as `isGradEnabled`.
    public let gradEnabled: Bool
    /// Whether autocast is on for the CPU on this thread.
    public let cpuAutocast: Bool
    /// Whether autocast is on for CUDA on this thread.
    public let cudaAutocast: Bool

    /// The settings in effect now, on the calling thread.
    public static var current: RuntimeSettings {
        RuntimeSettings(threads: Runtime.threads, gradEnabled: isGradEnabled, cpuAutocast: Autocast.isEnabled(on: .cpu),
                        cudaAutocast: Autocast.isEnabled(on: .cuda(0)))
    }

    public var description: String {
        "threads \(threads), grad \(gradEnabled ? "on" : "off"), autocast cpu \(cpuAutocast ? "on" : "off"), "
            + "cuda \(cudaAutocast ? "on" : "off")"
    }
}

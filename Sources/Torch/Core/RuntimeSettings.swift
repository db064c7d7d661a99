import CTorch

/// The libtorch settings code may change for a while and must put back: the intra-op thread count (process-wide),
/// gradient recording and autocast (this thread's) and whether subnormal floats are flushed (this thread's and the
/// intra-op pool's). Two snapshots that differ show a change left behind.
public struct RuntimeSettings: Sendable, Equatable, CustomStringConvertible {
    /// Intra-op threads, as `Runtime.threads`.
    public let threads: Int
    /// Whether autograd records operations on this thread, as `isGradEnabled`.
    public let gradEnabled: Bool
    /// Whether autocast is on for the CPU on this thread.
    public let cpuAutocast: Bool
    /// Whether autocast is on for CUDA on this thread.
    public let cudaAutocast: Bool
    /// Whether this thread flushes subnormal floats to zero, as `Runtime.flushesDenormals`.
    public let flushesDenormals: Bool?

    /// The settings in effect now, on the calling thread.
    public static var current: RuntimeSettings {
        RuntimeSettings(threads: Runtime.threads, gradEnabled: isGradEnabled, cpuAutocast: Autocast.isEnabled(on: .cpu),
                        cudaAutocast: Autocast.isEnabled(on: .cuda(0)), flushesDenormals: Runtime.flushesDenormals)
    }

    public var description: String {
        "threads \(threads), grad \(gradEnabled ? "on" : "off"), autocast cpu \(cpuAutocast ? "on" : "off"), "
            + "cuda \(cudaAutocast ? "on" : "off"), denormals \(flushesDenormals.map { $0 ? "flushed" : "kept" } ?? "unknown")"
    }
}

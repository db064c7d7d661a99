import Torch

/// Where libtorch's CPU tensors get their memory, for `status` and benchmark lines: harlab's block cache (the default:
/// large freed buffers are reused by size instead of being mapped, zero-filled and unmapped at every training step) or
/// libtorch's own allocator (`HARLAB_CPU_ALLOCATOR=system`).
public struct CPUAllocatorChoice: Equatable, Sendable, CustomStringConvertible {
    /// Whether allocations of 1 MiB and more go through the block cache.
    public var caching: Bool
    /// Bytes held now in freed blocks.
    public var cachedBytes: Int
    /// The most bytes the cache keeps in freed blocks.
    public var limitBytes: Int

    /// The allocator in effect now.
    public static var current: CPUAllocatorChoice {
        let statistics = CPUBlockCache.statistics
        return CPUAllocatorChoice(caching: CPUBlockCache.isEnabled, cachedBytes: statistics.cachedBytes, limitBytes: statistics.limitBytes)
    }

    /// `caching` or `system`, as benchmark lines and `--json` name it.
    public var name: String { caching ? "caching" : "system" }

    /// `block cache: 412 MiB of freed buffers kept for reuse (limit 6.0 GiB)`.
    public var description: String {
        guard caching else { return "libtorch's own (HARLAB_CPU_ALLOCATOR=system)" }
        let kept = cachedBytes >> 20, limit = Double(limitBytes) / Double(1 << 30)
        return "block cache: \(kept) MiB of freed buffers kept for reuse (limit \(String(format: "%.1f", limit)) GiB)"
    }
}

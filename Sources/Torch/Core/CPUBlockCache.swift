import CTorch

/// The cache libtorch's CPU tensors of 1 MiB and more come from: a freed block is kept and handed to the next request
/// of exactly its size, instead of glibc mapping fresh pages (zero-filled one page fault at a time) for every large
/// activation of every training step. The oldest freed blocks are let go beyond a limit (a quarter of physical memory,
/// at most 8 GiB, shared between the `LOCAL_WORLD_SIZE` ranks a launcher runs on this host; `HARLAB_CPU_CACHE_LIMIT`
/// sets it). It is on from the program's start unless the environment sets `HARLAB_CPU_ALLOCATOR=system`.
public enum CPUBlockCache {
    /// The cache's counters since the program started.
    public struct Statistics: Equatable, Sendable {
        /// Allocations of 1 MiB or more served from a freed block.
        public var hits: Int
        /// Allocations of 1 MiB or more that found no freed block of their size.
        public var misses: Int
        /// Bytes held now in freed blocks.
        public var cachedBytes: Int
        /// The most bytes the cache holds in freed blocks.
        public var limitBytes: Int
    }

    /// Whether libtorch's CPU allocations go through the cache. Switching is safe at any time: every tensor keeps the
    /// deleter of the allocator that made it.
    public static var isEnabled: Bool {
        get { ct_cpu_cache_enabled() == 1 }
        set { ct_cpu_cache_enable(newValue ? 1 : 0) }
    }

    /// The counters now.
    public static var statistics: Statistics {
        let raw = ct_cpu_cache_statistics()
        return Statistics(hits: Int(raw.hits), misses: Int(raw.misses), cachedBytes: Int(raw.cached), limitBytes: Int(raw.limit))
    }

    /// Sets the most bytes kept in freed blocks, letting the oldest go beyond it; 0 keeps none.
    public static func setLimit(bytes: Int) { ct_cpu_cache_set_limit(Int64(bytes)) }

    /// Frees every cached block; live tensors are untouched.
    public static func release() { ct_cpu_cache_release() }
}

import CTorch

/// Process-wide libtorch settings: seeds, threads, version.
public enum Runtime {
    /// Seeds libtorch's global random generator (all devices).
    public static func manualSeed(_ seed: UInt64) { unfailing(ct_manual_seed(seed), "manual_seed") }

    /// The CPU generator's full state, to restore later.
    public static func randomState() throws -> Tensor { try checked(ct_rng_get_state()) }

    /// Restores a state from `randomState()`.
    public static func setRandomState(_ state: Tensor) throws { try checked(ct_rng_set_state(state.handle)) }

    /// The number of threads libtorch's intra-op pool uses.
    public static var threads: Int { Int(unfailing(ct_get_num_threads(), "get_num_threads")) }

    /// Sets the intra-op thread count.
    /// - Throws: `TorchError` when `n` is below 1.
    public static func setThreads(_ n: Int) throws { try checked(ct_set_num_threads(Int32(clamping: n))) }

    /// libtorch's version, e.g. "1.13.1".
    public static var version: String { String(cString: unfailingPointer(ct_version(), "version")) }

    /// Whether this libtorch has oneDNN kernels.
    public static var hasOneDNN: Bool { unfailing(ct_has_mkldnn(), "has_mkldnn") == 1 }
}

/// Automatic mixed precision: ops that benefit run in a lower precision.
public enum Autocast {
    /// Runs `body` with autocast on `device` (bfloat16 on CPU, float16 on CUDA by default) when `enabled`.
    public static func run<R>(on device: Device = .cpu, enabled: Bool = true, dtype: DType? = nil, _ body: () throws -> R) throws -> R {
        guard enabled else { return try body() }
        let deviceCode: Int32 = device == .cpu ? 0 : 1
        let type = dtype ?? (device == .cpu ? .bfloat16 : .float16)
        let previous = try checked(ct_autocast_set(deviceCode, 1, type.code))
        defer {
            unfailing(ct_autocast_set(deviceCode, previous, type.code), "autocast restore")
            unfailing(ct_autocast_clear_cache(), "autocast clear_cache")
        }
        return try body()
    }

    /// Whether autocast is on for `device` on this thread.
    public static func isEnabled(on device: Device = .cpu) -> Bool {
        unfailing(ct_autocast_enabled(device == .cpu ? 0 : 1), "autocast enabled") == 1
    }
}

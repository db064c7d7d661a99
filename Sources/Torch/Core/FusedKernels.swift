import CTorch

/// The copies of the fused kernels (`Functional.spatialAttentionBlock`, dropout's mask, the recurrent cells), one per
/// ATen CPU capability: `default` (SSE2 on x86-64), `avx2` (AVX2 with FMA) and `avx512` (AVX-512 F, BW, VL, DQ). The
/// process runs the best copy this build holds and this CPU runs, no wider than `ATEN_CPU_CAPABILITY` allows (the
/// cap libtorch's own kernels obey, `CPUCapabilityCap`). Tests and benchmarks may force one to compare the paths.
public enum FusedKernels {
    /// Whether this build holds the copy for `level`, this CPU runs it and `ATEN_CPU_CAPABILITY` does not cap the
    /// process below it.
    public static func isAvailable(_ level: CPUCapability) -> Bool { ct_fused_isa_available(level.rawValue) == 1 }

    /// Every copy this build and this CPU can run under the cap, `default` first.
    public static var available: [CPUCapability] { CPUCapability.allCases.filter(isAvailable) }

    /// The copy the fused kernels run with now.
    public static var current: CPUCapability { CPUCapability(rawValue: ct_fused_isa_current()) ?? .default }

    /// Forces the fused kernels onto the copy for `level` for the whole process, or with nil returns them to the best
    /// available. Process-wide: a test that forces a copy must put nil back before it ends.
    /// - Throws: `TorchError` naming the copy where this build or this CPU lacks it or the cap rules it out.
    public static func force(_ level: CPUCapability?) throws {
        _ = try checked(ct_fused_isa_force(level?.rawValue ?? -1))
    }
}

import CTorch

/// The instruction sets the fused kernels (`Functional.spatialAttentionBlock`) are compiled for, as ATen's CPU
/// capabilities: the process uses the best one this CPU runs, no wider than `ATEN_CPU_CAPABILITY` allows (the cap
/// libtorch's own kernels obey, `CPUCapabilityCap`). Tests and benchmarks may force one to compare the paths.
public enum FusedKernelISA: Int32, CaseIterable, Sendable, CustomStringConvertible {
    /// SSE2 on x86-64 (whatever the compiler's target has elsewhere); every CPU runs it.
    case baseline = 0
    /// AVX2 with FMA (256-bit vectors).
    case avx2 = 1
    /// AVX-512 F, BW, VL and DQ (512-bit vectors).
    case avx512 = 2

    /// `baseline`, `avx2` or `avx512`, as benchmark lines name it.
    public var description: String {
        switch self {
        case .baseline: "baseline"
        case .avx2: "avx2"
        case .avx512: "avx512"
        }
    }

    /// Whether this build holds the kernels for this instruction set, this CPU runs them and `ATEN_CPU_CAPABILITY`
    /// does not cap the process below it.
    public var isAvailable: Bool { ct_fused_isa_available(rawValue) == 1 }

    /// Every instruction set this build and this CPU can run under the cap, baseline first.
    public static var available: [FusedKernelISA] { allCases.filter(\.isAvailable) }

    /// The instruction set the fused kernels run with now.
    public static var current: FusedKernelISA {
        FusedKernelISA(rawValue: ct_fused_isa_current()) ?? .baseline
    }

    /// Forces the fused kernels onto `isa` for the whole process, or with nil returns them to the best available.
    /// Process-wide: a test that forces a path must put nil back before it ends.
    /// - Throws: `TorchError` naming the instruction set where this build or this CPU lacks it or the cap rules it out.
    public static func force(_ isa: FusedKernelISA?) throws {
        _ = try checked(ct_fused_isa_force(isa?.rawValue ?? -1))
    }
}

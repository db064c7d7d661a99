import CTorch

/// ATen's CPU capabilities, the instruction-set levels libtorch compiles its kernels for and dispatches among, in rising
/// order: `default` (no AVX), `avx2` (AVX2 with FMA) and `avx512` (AVX-512 F, BW, VL, DQ). The names are the values of
/// libtorch's `ATEN_CPU_CAPABILITY`.
public enum CPUCapability: Int32, CaseIterable, Comparable, Sendable, CustomStringConvertible {
    /// No AVX (SSE on x86-64).
    case `default` = 0
    /// AVX2 with FMA.
    case avx2 = 1
    /// AVX-512 F, BW, VL and DQ.
    case avx512 = 2

    /// The environment variable libtorch reads its cap from.
    public static let environmentVariable = "ATEN_CPU_CAPABILITY"

    /// `default`, `avx2` or `avx512`, as `ATEN_CPU_CAPABILITY` spells it.
    public var description: String {
        switch self {
        case .default: "default"
        case .avx2: "avx2"
        case .avx512: "avx512"
        }
    }

    public static func < (lhs: CPUCapability, rhs: CPUCapability) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The capability libtorch's own kernels dispatch to in this process (`CPU capability usage` of its configuration).
    /// libtorch 1.13 picks `avx2` on an AVX-512 CPU unless `ATEN_CPU_CAPABILITY=avx512` asks for more.
    /// - Throws: `TorchError` where libtorch's configuration names none this type knows.
    public static func inLibTorch() throws -> CPUCapability {
        CPUCapability(rawValue: try checked(ct_cpu_capability_libtorch())) ?? .default
    }
}

/// What `ATEN_CPU_CAPABILITY` asks of this process, read as libtorch reads it: the exact, lower-case `default`, `avx2` or
/// `avx512` caps ATen's kernels (and harlab's own instruction-set choices) at that level; any other value libtorch
/// ignores with a warning, and so does harlab; unset, nothing is capped.
public enum CPUCapabilityCap: Equatable, Sendable, CustomStringConvertible {
    /// The variable is unset.
    case unset
    /// A value libtorch accepts: nothing above this level runs.
    case capped(CPUCapability)
    /// A value libtorch ignores (it warns "ignoring invalid value for ATEN_CPU_CAPABILITY"): nothing is capped.
    case ignored(String)

    /// The cap a value of `ATEN_CPU_CAPABILITY` sets (nil: the variable is unset), by libtorch's rules.
    public init(environmentValue: String?) {
        guard let environmentValue else { self = .unset; return }
        let level = environmentValue.withCString { ct_cpu_capability_parse($0) }
        self = CPUCapability(rawValue: level).map { .capped($0) } ?? .ignored(environmentValue)
    }

    /// This process's cap, from the variable as the shim read it once (the value the fused kernels obey).
    public static var current: CPUCapabilityCap {
        CPUCapabilityCap(environmentValue: ct_cpu_capability_value().map { String(cString: $0) })
    }

    /// The highest level the cap allows on a CPU that runs up to `hardware`.
    public func limiting(_ hardware: CPUCapability) -> CPUCapability {
        guard case .capped(let level) = self else { return hardware }
        return min(level, hardware)
    }

    /// `capped to avx2 by ATEN_CPU_CAPABILITY`, `ATEN_CPU_CAPABILITY=AVX2 ignored (…)`, or `not capped`.
    public var description: String {
        switch self {
        case .unset: "not capped"
        case .capped(let level): "capped to \(level) by \(CPUCapability.environmentVariable)"
        case .ignored(let value):
            "\(CPUCapability.environmentVariable)=\(value) ignored, as libtorch ignores it: not one of default, avx2, avx512 (lower case)"
        }
    }
}

/// The precision a `PrecisionMode` resolves to on one CPU, and why: `auto` picks bfloat16 autocast only where the CPU
/// has bfloat16 arithmetic (AVX-512 BF16 or AMX-BF16, read from its flags, not guessed from its name). Elsewhere
/// libtorch emulates bfloat16 and autocast slows training down (17× for `sa` on a Zen 3), so `auto` stays in float32;
/// so it does where `ATEN_CPU_CAPABILITY` caps the process below AVX-512 (an AVX-512 CPU made to act as an AVX2 one).
public struct PrecisionChoice: Sendable, Equatable, CustomStringConvertible {
    /// What was asked for.
    public let mode: PrecisionMode
    /// What the run computes in.
    public let precision: TrainingPrecision
    /// Why, in words (`auto: the CPU computes bfloat16 (AVX-512 BF16)`).
    public let reason: String
    /// Whether the CPU has bfloat16 arithmetic and the cap leaves it.
    public let cpuComputesBFloat16: Bool
    /// Whether the CPU's flags list bfloat16 arithmetic, whatever the cap.
    let cpuHasBFloat16Instructions: Bool

    /// The choice `mode` makes on `cpu`.
    public init(_ mode: PrecisionMode, on cpu: CPUDescription) {
        self.mode = mode
        cpuComputesBFloat16 = cpu.computesBFloat16
        cpuHasBFloat16Instructions = cpu.hasBFloat16Instructions
        let units = [("avx512_bf16", "AVX-512 BF16"), ("amx_bf16", "AMX-BF16")].filter { cpu.features.contains($0.0) }.map(\.1)
        let hardware = "the CPU computes bfloat16 (\(units.joined(separator: ", ")))"
        let noHardware = cpu.hasBFloat16Instructions
            ? "\(cpu.cap), below the AVX-512 that bfloat16 arithmetic needs"
            : "the CPU has no bfloat16 arithmetic (neither AVX-512 BF16 nor AMX-BF16)"
        switch mode {
        case .auto:
            precision = cpu.computesBFloat16 ? .bfloat16 : .float32
            reason = "auto: " + (cpu.computesBFloat16 ? hardware : noHardware + ", where bfloat16 would be emulated and slow")
        case .on:
            precision = .bfloat16
            reason = "on: as set; " + (cpu.computesBFloat16 ? hardware : noHardware + ": emulated, many times slower than float32")
        case .off:
            precision = .float32
            reason = "off: as set"
        }
    }

    /// The choice `mode` makes on this machine's CPU.
    public static func onThisMachine(_ mode: PrecisionMode) -> PrecisionChoice { PrecisionChoice(mode, on: .current) }

    /// Whether the forward pass runs under bfloat16 autocast.
    public var autocast: Bool { precision == .bfloat16 }

    /// Why `set amp on` is almost surely a mistake on this CPU, or nil when it is not.
    public var warning: String? {
        guard mode == .on, !cpuComputesBFloat16 else { return nil }
        let cause = cpuHasBFloat16Instructions ? "ATEN_CPU_CAPABILITY caps this process below AVX-512"
            : "this CPU has no bfloat16 arithmetic (AVX-512 BF16 or AMX-BF16)"
        return "amp on: \(cause), so bfloat16 autocast is emulated "
            + "and trains many times slower than float32; `set amp auto` picks float32 here"
    }

    /// `bfloat16 (auto: the CPU computes bfloat16 (AVX-512 BF16))`.
    public var description: String { "\(precision.rawValue) (\(reason))" }
}

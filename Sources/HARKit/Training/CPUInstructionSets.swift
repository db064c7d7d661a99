import Torch

/// The instruction sets this process computes with, for `status`: the CPU and the cap `ATEN_CPU_CAPABILITY` sets, the
/// capability libtorch's own kernels dispatch to, and the copy of harlab's fused kernels in use (which follows the same
/// cap: an AVX-512 CPU capped to `avx2` runs the AVX2 copy).
public struct CPUInstructionSets: Equatable, Sendable, CustomStringConvertible {
    /// The CPU, its flags and the cap.
    public var cpu: CPUDescription
    /// What libtorch's kernels dispatch to (`default`, `avx2`, `avx512`), or why it is unknown.
    public var libtorch: String
    /// The fused kernels' copy (`baseline`, `avx2`, `avx512`).
    public var fusedKernels: String

    /// The instruction sets in use now.
    public static var current: CPUInstructionSets {
        let libtorch = (try? CPUCapability.inLibTorch().description) ?? "unknown (libtorch's configuration names none)"
        return CPUInstructionSets(cpu: .current, libtorch: libtorch, fusedKernels: FusedKernels.current.description)
    }

    /// `AMD EPYC 9B14 (avx2 fma avx512f avx512_bf16), capped to avx2 by ATEN_CPU_CAPABILITY: libtorch kernels avx2,
    /// fused kernels avx2`.
    public var description: String {
        let features = cpu.features.isEmpty ? "" : " (\(cpu.features.joined(separator: " ")))"
        let cap = cpu.capNote.map { ", \($0)" } ?? ""
        return "\(cpu.model)\(features)\(cap): libtorch kernels \(libtorch), fused kernels \(fusedKernels)"
    }
}

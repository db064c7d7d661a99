import Foundation
import Torch

/// The CPU a benchmark ran on, as speed figures must name it: the model name and the vector features that decide
/// which kernels oneDNN and OpenBLAS pick (AVX2, AVX-512, AVX-512 BF16, AMX), and the cap `ATEN_CPU_CAPABILITY` puts
/// on them: harlab's own instruction-set choices (bfloat16 under `amp auto`, the fused kernels' copy) follow the cap
/// as libtorch's kernels do, so an AVX-512 machine capped to `avx2` behaves as an AVX2-only CPU would.
public struct CPUDescription: Sendable, Equatable {
    /// The `model name` of `/proc/cpuinfo` (`AMD EPYC 9B14`; in a virtual machine sometimes just `AMD EPYC`).
    public let model: String
    /// Which of the features that matter here the CPU reports, in a fixed order: `avx2`, `fma`, `avx512f`,
    /// `avx512_bf16`, `amx_tile`, `amx_bf16`.
    public let features: [String]
    /// The features this type looks for, in the order `features` lists them.
    public static let watchedFeatures = ["avx2", "fma", "avx512f", "avx512_bf16", "amx_tile", "amx_bf16"]
    /// The highest of ATen's capabilities the CPU's flags allow: `avx512` needs AVX-512 F, BW, VL and DQ with FMA,
    /// `avx2` AVX2 with FMA (what libtorch checks before it picks them).
    public let hardwareCapability: CPUCapability
    /// What `ATEN_CPU_CAPABILITY` asks of the process.
    public let cap: CPUCapabilityCap

    /// Reads the first processor's model name and flags from `cpuinfo` (the text of `/proc/cpuinfo`), under `cap`.
    public init(cpuinfo: String, cap: CPUCapabilityCap = .unset) {
        func field(_ name: String) -> String? {
            cpuinfo.split(separator: "\n").first { $0.hasPrefix(name) }
                .flatMap { $0.split(separator: ":", maxSplits: 1).last }
                .map { $0.trimmingCharacters(in: .whitespaces) }
        }
        model = field("model name") ?? "unknown CPU"
        let flags = Set((field("flags") ?? "").split(separator: " ").map(String.init))
        features = Self.watchedFeatures.filter(flags.contains)
        hardwareCapability = ["avx512f", "avx512bw", "avx512vl", "avx512dq", "fma"].allSatisfy(flags.contains) ? .avx512
            : ["avx2", "fma"].allSatisfy(flags.contains) ? .avx2 : .default
        self.cap = cap
    }

    /// This machine's CPU (an unknown model with no features when `/proc/cpuinfo` cannot be read), under this process's
    /// `ATEN_CPU_CAPABILITY` (`CPUCapabilityCap.current`, read once by the shim, whose fused kernels obey the same cap).
    public static var current: CPUDescription {
        CPUDescription(cpuinfo: (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "", cap: .current)
    }

    /// The highest capability the process may use: the CPU's, no higher than the cap.
    public var capability: CPUCapability { cap.limiting(hardwareCapability) }

    /// Whether the CPU has bfloat16 arithmetic (AVX-512 BF16 or AMX-BF16), where bfloat16 autocast can speed training
    /// up, and the cap leaves it: a cap below `avx512` rules it out, as on a CPU without those instructions.
    public var computesBFloat16: Bool { hasBFloat16Instructions && !capsBelowAVX512 }

    /// Whether the CPU's flags list AVX-512 BF16 or AMX-BF16, whatever the cap.
    public var hasBFloat16Instructions: Bool { features.contains("avx512_bf16") || features.contains("amx_bf16") }

    /// Whether `ATEN_CPU_CAPABILITY` caps the process below AVX-512.
    public var capsBelowAVX512: Bool {
        guard case .capped(let level) = cap else { return false }
        return level < .avx512
    }

    /// `capped to avx2 by ATEN_CPU_CAPABILITY` (or why a value was ignored) where the variable is set, else nil.
    public var capNote: String? { cap == .unset ? nil : cap.description }

    /// `AMD EPYC 9B14`, or `AMD EPYC 9B14 (capped to avx2 by ATEN_CPU_CAPABILITY)` where the variable is set.
    public var nameWithCap: String { capNote.map { "\(model) (\($0))" } ?? model }

    /// `line` (one JSON object) with the CPU added as `"cpu"` (its name, with the cap where `ATEN_CPU_CAPABILITY` is
    /// set: `nameWithCap`), its features as `"cpu_features"`, the capability the process may use as `"cpu_capability"`
    /// (`default`, `avx2`, `avx512`), `cores`, the cores the measurement used, `cpu_allocator` (`caching` or
    /// `system`, see `CPUAllocatorChoice`), `recurrent_gemm`, the library of the recurrent layers' matrix products
    /// (`onednn` or `aten`, see `Runtime.recurrentMatmulLibrary`) and `recurrent_backward_gemm`, that of the LSTM
    /// backward's dL/dh and weight gradients (`onednn`, `onednn-transposed`, `aten+onednn` or `aten`, see
    /// `Runtime.recurrentBackwardProducts`), `recurrent_batch_one_product`, that of the recurrent inference path's
    /// batch-1 hidden product (`fused` or `onednn-blocks`, see `Runtime.recurrentBatchOneProduct`), and
    /// `training_convolution`, how a bfloat16 training convolution runs (`products` or `onednn`,
    /// `Runtime.trainingConvolution`), `float32_training_convolution`, how a short float32 one runs
    /// (`Runtime.float32TrainingConvolution`), and `denormals`, whether subnormal floats are `flushed` to zero or `kept`
    /// (`DenormalHandling`, absent where unknown); a line that is not a JSON object comes back unchanged.
    public func stamping(_ line: String, cores: Int) -> String {
        guard var object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else { return line }
        object["cpu"] = nameWithCap
        object["cpu_features"] = features
        object["cpu_capability"] = capability.description
        object["cores"] = cores
        object["cpu_allocator"] = CPUAllocatorChoice.current.name
        object["recurrent_gemm"] = Runtime.recurrentMatmulLibrary
        object["recurrent_backward_gemm"] = Runtime.recurrentBackwardProducts.rawValue
        object["recurrent_batch_one_product"] = Runtime.recurrentBatchOneProduct.rawValue
        object["training_convolution"] = Runtime.trainingConvolution
        object["float32_training_convolution"] = Runtime.float32TrainingConvolution
        object["denormals"] = DenormalHandling.current.name
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return line }
        return String(decoding: data, as: UTF8.self)
    }
}

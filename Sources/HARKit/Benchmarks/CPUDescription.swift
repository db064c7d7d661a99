import Foundation

/// The CPU a benchmark ran on, as speed figures must name it: the model name and the vector features that decide
/// which kernels oneDNN and OpenBLAS pick (AVX2, AVX-512, AVX-512 BF16, AMX).
public struct CPUDescription: Sendable, Equatable {
    /// The `model name` of `/proc/cpuinfo` (`AMD EPYC 9B14`; in a virtual machine sometimes just `AMD EPYC`).
    public let model: String
    /// Which of the features that matter here the CPU reports, in a fixed order: `avx2`, `fma`, `avx512f`,
    /// `avx512_bf16`, `amx_tile`, `amx_bf16`.
    public let features: [String]
    /// The features this type looks for, in the order `features` lists them.
    public static let watchedFeatures = ["avx2", "fma", "avx512f", "avx512_bf16", "amx_tile", "amx_bf16"]

    /// Reads the first processor's model name and flags from `cpuinfo` (the text of `/proc/cpuinfo`).
    public init(cpuinfo: String) {
        func field(_ name: String) -> String? {
            cpuinfo.split(separator: "\n").first { $0.hasPrefix(name) }
                .flatMap { $0.split(separator: ":", maxSplits: 1).last }
                .map { $0.trimmingCharacters(in: .whitespaces) }
        }
        model = field("model name") ?? "unknown CPU"
        let flags = Set((field("flags") ?? "").split(separator: " ").map(String.init))
        features = Self.watchedFeatures.filter(flags.contains)
    }

    /// This machine's CPU (an unknown model with no features when `/proc/cpuinfo` cannot be read).
    public static var current: CPUDescription {
        CPUDescription(cpuinfo: (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "")
    }

    /// Whether the CPU has bfloat16 arithmetic (AVX-512 BF16 or AMX-BF16), where bfloat16 autocast can speed training up.
    public var computesBFloat16: Bool { features.contains("avx512_bf16") || features.contains("amx_bf16") }

    /// `line` (one JSON object) with the CPU added as `"cpu"`, its features as `"cpu_features"`, `cores`, the
    /// cores the measurement used, and `cpu_allocator` (`caching` or `system`, see `CPUAllocatorChoice`); a line that is not a JSON object comes back unchanged.
    public func stamping(_ line: String, cores: Int) -> String {
        guard var object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else { return line }
        object["cpu"] = model
        object["cpu_features"] = features
        object["cores"] = cores
        object["cpu_allocator"] = CPUAllocatorChoice.current.name
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return line }
        return String(decoding: data, as: UTF8.self)
    }
}

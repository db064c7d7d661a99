import Foundation
import Torch

/// The float32 arithmetic ceiling of the cores a benchmark uses: the theoretical peak from the CPU's vector width
/// and clock, and the rate libtorch's own matrix multiply reaches, so that a model's training rate can be reported
/// as a fraction of what the machine can do at all.
public struct ArithmeticPeak: Sendable, Equatable {
    /// Cores counted (the benchmark's thread count, at most the online cores).
    public let cores: Int
    /// float32 lanes of the widest vector FMA the CPU reports (16 with AVX-512, 8 with AVX2/AVX, 4 otherwise).
    public let vectorLanes: Int
    /// FMA pipes per core: 2, as on every x86 server core since Haswell and Zen 2 (an assumption, stated in the output).
    public let fmaUnits: Int
    /// Clock in GHz as the kernel reports it (`cpu MHz`; in a virtual machine usually the nominal clock).
    public let clockGHz: Double
    /// What `torch.mm` of two `gemmSize`² float32 matrices reached with the same threads, in GFLOP/s (0 if not measured).
    public let gemmGFLOPs: Double
    /// The matrix size of the GEMM measurement.
    public let gemmSize: Int

    /// cores × FMA units × 2 FLOP × lanes × clock, in GFLOP/s.
    public var theoreticalGFLOPs: Double { Double(cores * fmaUnits * 2 * vectorLanes) * clockGHz }

    /// Reads the CPU description from `cpuinfo` (the text of `/proc/cpuinfo`) for `cores` cores.
    /// - Throws: `BenchmarkError` when the text names no clock or flags.
    public init(cpuinfo: String, cores: Int, gemmGFLOPs: Double = 0, gemmSize: Int = 0) throws {
        func field(_ name: String) -> String? {
            cpuinfo.split(separator: "\n").first { $0.hasPrefix(name) }
                .flatMap { $0.split(separator: ":", maxSplits: 1).last }
                .map { $0.trimmingCharacters(in: .whitespaces) }
        }
        guard let megahertz = field("cpu MHz").flatMap(Double.init), megahertz > 0 else {
            throw BenchmarkError("no 'cpu MHz' line in the CPU description")
        }
        guard let flags = field("flags").map({ Set($0.split(separator: " ").map(String.init)) }) else {
            throw BenchmarkError("no 'flags' line in the CPU description")
        }
        vectorLanes = flags.contains("avx512f") ? 16 : (flags.contains("avx2") || flags.contains("avx")) ? 8 : 4
        fmaUnits = 2
        clockGHz = megahertz / 1000
        self.cores = cores
        self.gemmGFLOPs = gemmGFLOPs
        self.gemmSize = gemmSize
    }

    /// Describes this machine and times libtorch's float32 GEMM on `threads` threads (best of `repetitions`).
    /// - Throws: `BenchmarkError` when `/proc/cpuinfo` cannot be read; libtorch errors.
    public static func measure(threads: Int, size: Int = 2048, repetitions: Int = 5) throws -> ArithmeticPeak {
        let text = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        try Runtime.setThreads(threads)
        let a = try Tensor.randn([size, size]), b = try Tensor.randn([size, size])
        _ = try a.matmul(b)
        var best = Double.infinity
        for _ in 0..<max(1, repetitions) {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try a.matmul(b)
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        let flops = 2 * Double(size) * Double(size) * Double(size)
        let cores = min(threads, ProcessInfo.processInfo.activeProcessorCount)
        return try ArithmeticPeak(cpuinfo: text, cores: cores, gemmGFLOPs: flops / best / 1e9, gemmSize: size)
    }

    /// The description as one JSON line.
    public var jsonLine: String {
        let object: [String: Any] = [
            "peak": "float32", "cores": cores, "vector_lanes": vectorLanes, "fma_units_assumed": fmaUnits,
            "clock_ghz": (clockGHz * 1000).rounded() / 1000, "theoretical_gflop_per_s": (theoreticalGFLOPs * 10).rounded() / 10,
            "gemm_gflop_per_s": (gemmGFLOPs * 10).rounded() / 10, "gemm_size": gemmSize,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

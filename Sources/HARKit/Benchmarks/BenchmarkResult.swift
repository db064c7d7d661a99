import Foundation

/// One (tool, model, dataset) measurement in the peer benchmark's JSON schema.
public struct BenchmarkResult: Sendable, Equatable {
    public let tool: String
    public let model: String
    public let dataset: String
    public let threads: Int
    public let bf16: Bool
    public let batch: Int
    /// Training windows per second over whole epochs (forward, loss, backward, optimizer step).
    public let trainSamplesPerSecond: Double
    /// Batch-1 inference latency in milliseconds.
    public let inferLatencyMs: Double
    /// Inference windows per second at batch 512.
    public let inferWindowsPerSecond: Double
    /// The model's forward multiply-adds per window (from `ModelSummary`; 0 when unknown, as for a peer's line).
    public let macsPerWindow: Int
    /// Training windows per second of this process's CPU time (all threads) over the same epochs: on one thread the
    /// work itself, whoever else holds the cores; 0 when not measured (printed only when measured).
    public let trainSamplesPerCPUSecond: Double

    /// Training arithmetic rate in GFLOP/s: 3 passes (forward, two backward products) × 2 FLOP per multiply-add ×
    /// multiply-adds per window × windows/s.
    public var trainGFLOPs: Double { trainingGFLOPs(windowsPerSecond: trainSamplesPerSecond) }

    /// The training GFLOP/s that `windowsPerSecond` would mean for this result's model.
    public func trainingGFLOPs(windowsPerSecond: Double) -> Double { 6 * Double(macsPerWindow) * windowsPerSecond / 1e9 }

    /// The result as one JSON object on a line, with the peer script's field names.
    public var jsonLine: String {
        var object: [String: Any] = [
            "tool": tool, "model": model, "dataset": dataset, "threads": threads, "bf16": bf16, "batch": batch,
            "train_samples_per_s": (trainSamplesPerSecond * 10).rounded() / 10,
            "infer_latency_ms": (inferLatencyMs * 1000).rounded() / 1000,
            "infer_windows_per_s": (inferWindowsPerSecond * 10).rounded() / 10,
        ]
        if macsPerWindow > 0 {
            object["macs_per_window"] = macsPerWindow
            object["train_gflop_per_s"] = (trainGFLOPs * 10).rounded() / 10
        }
        if trainSamplesPerCPUSecond > 0 { object["train_samples_per_cpu_s"] = (trainSamplesPerCPUSecond * 10).rounded() / 10 }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// Parses a line printed by the peer script.
    /// - Throws: `BenchmarkError` when a field is missing.
    public init(jsonLine: String) throws {
        guard let object = try JSONSerialization.jsonObject(with: Data(jsonLine.utf8)) as? [String: Any],
              let tool = object["tool"] as? String, let model = object["model"] as? String, let dataset = object["dataset"] as? String,
              let train = object["train_samples_per_s"] as? Double, let latency = object["infer_latency_ms"] as? Double,
              let throughput = object["infer_windows_per_s"] as? Double
        else { throw BenchmarkError("cannot read a benchmark result from: \(jsonLine)") }
        self.init(tool: tool, model: model, dataset: dataset, threads: object["threads"] as? Int ?? 0, bf16: object["bf16"] as? Bool ?? false,
                  batch: object["batch"] as? Int ?? 0, trainSamplesPerSecond: train, inferLatencyMs: latency, inferWindowsPerSecond: throughput,
                  macsPerWindow: object["macs_per_window"] as? Int ?? 0,
                  trainSamplesPerCPUSecond: object["train_samples_per_cpu_s"] as? Double ?? 0)
    }

    /// A result from measured figures.
    public init(tool: String, model: String, dataset: String, threads: Int, bf16: Bool, batch: Int,
                trainSamplesPerSecond: Double, inferLatencyMs: Double, inferWindowsPerSecond: Double, macsPerWindow: Int = 0,
                trainSamplesPerCPUSecond: Double = 0) {
        (self.tool, self.model, self.dataset, self.threads, self.bf16, self.batch) = (tool, model, dataset, threads, bf16, batch)
        (self.trainSamplesPerSecond, self.inferLatencyMs, self.inferWindowsPerSecond) = (trainSamplesPerSecond, inferLatencyMs, inferWindowsPerSecond)
        (self.macsPerWindow, self.trainSamplesPerCPUSecond) = (macsPerWindow, trainSamplesPerCPUSecond)
    }

    /// A JSON line with this result's ratios over `peer` (train and throughput: ours ÷ theirs; latency: theirs ÷ ours)
    /// and, when this result knows its multiply-adds and `peak` is given, both tools' training GFLOP/s as fractions
    /// of the theoretical peak and of the measured GEMM rate.
    public func comparison(with peer: BenchmarkResult, peak: ArithmeticPeak? = nil) -> String {
        var object: [String: Any] = [
            "compare": "\(tool) vs \(peer.tool)", "model": model, "dataset": dataset,
            "train_speedup": (trainSamplesPerSecond / max(peer.trainSamplesPerSecond, 1e-9) * 100).rounded() / 100,
            "latency_speedup": (peer.inferLatencyMs / max(inferLatencyMs, 1e-9) * 100).rounded() / 100,
            "throughput_speedup": (inferWindowsPerSecond / max(peer.inferWindowsPerSecond, 1e-9) * 100).rounded() / 100,
        ]
        if trainSamplesPerCPUSecond > 0, peer.trainSamplesPerCPUSecond > 0 {
            object["train_cpu_speedup"] = (trainSamplesPerCPUSecond / peer.trainSamplesPerCPUSecond * 100).rounded() / 100
        }
        if macsPerWindow > 0 {
            let rates = [trainGFLOPs, trainingGFLOPs(windowsPerSecond: peer.trainSamplesPerSecond)]
            object["train_gflop_per_s"] = rates.map { ($0 * 10).rounded() / 10 }
            if let peak, peak.theoreticalGFLOPs > 0 {
                object["fraction_of_peak"] = rates.map { ($0 / peak.theoreticalGFLOPs * 1000).rounded() / 1000 }
                if peak.gemmGFLOPs > 0 { object["fraction_of_gemm"] = rates.map { ($0 / peak.gemmGFLOPs * 1000).rounded() / 1000 } }
            }
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

/// A benchmark that could not run or be read.
public struct BenchmarkError: HARKitError {
    /// What went wrong.
    public let message: String

    init(_ message: String) { self.message = message }
}

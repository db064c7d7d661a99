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

    /// The result as one JSON object on a line, with the peer script's field names.
    public var jsonLine: String {
        let object: [String: Any] = [
            "tool": tool, "model": model, "dataset": dataset, "threads": threads, "bf16": bf16, "batch": batch,
            "train_samples_per_s": (trainSamplesPerSecond * 10).rounded() / 10,
            "infer_latency_ms": (inferLatencyMs * 1000).rounded() / 1000,
            "infer_windows_per_s": (inferWindowsPerSecond * 10).rounded() / 10,
        ]
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
                  batch: object["batch"] as? Int ?? 0, trainSamplesPerSecond: train, inferLatencyMs: latency, inferWindowsPerSecond: throughput)
    }

    /// A result from measured figures.
    public init(tool: String, model: String, dataset: String, threads: Int, bf16: Bool, batch: Int,
                trainSamplesPerSecond: Double, inferLatencyMs: Double, inferWindowsPerSecond: Double) {
        (self.tool, self.model, self.dataset, self.threads, self.bf16, self.batch) = (tool, model, dataset, threads, bf16, batch)
        (self.trainSamplesPerSecond, self.inferLatencyMs, self.inferWindowsPerSecond) = (trainSamplesPerSecond, inferLatencyMs, inferWindowsPerSecond)
    }

    /// A JSON line with this result's ratios over `peer` (train and throughput: ours ÷ theirs; latency: theirs ÷ ours).
    public func comparison(with peer: BenchmarkResult) -> String {
        let object: [String: Any] = [
            "compare": "\(tool) vs \(peer.tool)", "model": model, "dataset": dataset,
            "train_speedup": (trainSamplesPerSecond / max(peer.trainSamplesPerSecond, 1e-9) * 100).rounded() / 100,
            "latency_speedup": (peer.inferLatencyMs / max(inferLatencyMs, 1e-9) * 100).rounded() / 100,
            "throughput_speedup": (inferWindowsPerSecond / max(peer.inferWindowsPerSecond, 1e-9) * 100).rounded() / 100,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

/// A benchmark that could not run or be read.
public struct BenchmarkError: Error, CustomStringConvertible {
    public let description: String
    init(_ message: String) { description = message }
}

import Foundation
import Torch

/// Batch-1 latency of a model in harlab and of the same weights exported to ONNX in ONNX Runtime
/// (`scripts/onnx_latency.py`), measured in one invocation on the same machine and thread count, as a ratio.
public struct ONNXLatencyBenchmark: Sendable {
    /// The model spec.
    public let model: String
    /// The dataset shape's name.
    public let dataset: String
    /// Threads both runtimes used.
    public let threads: Int
    /// harlab's median batch-1 latency in milliseconds.
    public let harlabMs: Double
    /// ONNX Runtime's median batch-1 latency in milliseconds.
    public let onnxRuntimeMs: Double
    /// ONNX Runtime's version, as the script reports it.
    public let onnxRuntime: String

    /// ONNX Runtime's latency over harlab's (below 1: the exported file runs faster).
    public var ratio: Double { onnxRuntimeMs / harlabMs }

    /// One JSON line: the two latencies and their ratio.
    public var jsonLine: String {
        func rounded(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
        return "{\"compare\":\"onnx batch-1 latency\",\"model\":\"\(model)\",\"dataset\":\"\(dataset)\",\"threads\":\(threads),"
            + "\"harlab_ms\":\(rounded(harlabMs)),\"onnxruntime_ms\":\(rounded(onnxRuntimeMs)),\"onnxruntime\":\"\(onnxRuntime)\","
            + "\"ratio\":\(rounded(ratio))}"
    }

    /// Builds `model` for `shape` (seed 0), times it in harlab, exports it to a temporary file and times that with
    /// `python` (an interpreter with onnxruntime and numpy) running `script`.
    /// - Throws: `BenchmarkError` when the script fails; spec, export or libtorch errors.
    public static func run(model specText: String, shape: BenchmarkShape, threads: Int, repetitions: Int, python: String,
                           script: String = "scripts/onnx_latency.py") throws -> ONNXLatencyBenchmark {
        try Runtime.setThreads(threads)
        let dataset = try TrainingBenchmark.randomDataset(shape: shape, samples: 1)
        Runtime.manualSeed(0)
        let model = try ModelFactory.make(try ModelSpec(specText), input: shape.input)
        let harlab = try InferenceTiming.measure(model, repetitions: repetitions, batch: 1)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("harlab-bench-\(UUID().uuidString).onnx")
        defer { try? FileManager.default.removeItem(at: file) }
        try ONNXExporter.write(model, description: ONNXModelDescription(dataset: dataset), to: file)
        let run = try PythonJSONLine(python: python, arguments: [script, file.path, "--reps", "\(repetitions)", "--threads", "\(threads)"])
        guard let object = run.object, let latency = object["latency_p50_ms"] as? Double, let tool = object["tool"] as? String else {
            throw BenchmarkError("the ONNX Runtime latency script failed for \(specText) on \(shape.name) (exit \(run.status)): \(run.line)")
        }
        return ONNXLatencyBenchmark(model: specText, dataset: shape.name, threads: threads, harlabMs: harlab.latencyP50,
                                    onnxRuntimeMs: latency, onnxRuntime: tool)
    }
}

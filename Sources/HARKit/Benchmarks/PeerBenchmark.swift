import Foundation

/// Runs the PyTorch reference benchmark (`peer_pytorch.py`) for one model and shape at a time.
public struct PeerBenchmark {
    let python: String
    let script: String
    let settings: TrainingBenchmark.Settings

    /// A runner using `python` (an interpreter with torch) and the script at `script`
    /// (default: `../shared/bench/peer_pytorch.py` relative to the working directory).
    /// - Throws: `BenchmarkError` when the script is not there.
    public init(python: String, script: String?, settings: TrainingBenchmark.Settings) throws {
        let path = script ?? "../shared/bench/peer_pytorch.py"
        guard FileManager.default.fileExists(atPath: path) else { throw BenchmarkError("peer script not found at \(path) (pass --peer-script)") }
        (self.python, self.script, self.settings) = (python, path, settings)
    }

    /// Measures `model` on `shape` with the reference.
    public func run(model: String, shape: BenchmarkShape) throws -> BenchmarkResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python.contains("/") ? python : "/usr/bin/env")
        var arguments = [script, "--models", model, "--datasets", shape.name, "--threads", "\(settings.threads)",
                         "--samples", "\(settings.samples)", "--epochs", "\(settings.epochs)", "--batch", "\(settings.batch)",
                         "--reps", "\(settings.repetitions)"]
        if settings.bf16 { arguments.append("--bf16") }
        process.arguments = python.contains("/") ? arguments : [python] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchmarkError("peer benchmark failed for \(model) on \(shape.name) (exit \(process.terminationStatus))") }
        guard let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last else {
            throw BenchmarkError("peer benchmark printed nothing for \(model) on \(shape.name)")
        }
        return try BenchmarkResult(jsonLine: String(line))
    }

    /// Runs `scripts/bench_dsads_load.py` (pandas, as the reference tool's dataproc.py) on `folder`.
    /// - Returns: its seconds and the JSON line it printed.
    public static func runDSADSLoad(python: String, folder: String, heldOut: Int, script: String = "scripts/bench_dsads_load.py") throws -> (seconds: Double, line: String) {
        let run = try PythonJSONLine(python: python, arguments: [script, folder, "\(heldOut)"])
        guard let seconds = run.object?["seconds"] as? Double else {
            throw BenchmarkError("the pandas DSADS load failed (exit \(run.status)): \(run.line)")
        }
        return (seconds, run.line)
    }
}

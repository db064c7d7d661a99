import ArgumentParser
import Foundation
import HARKit

/// `har-bench`: times harlab's training step and inference beside the PyTorch reference, printing JSON lines
/// in the schema of `../shared/bench/peer_pytorch.py`.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "har-bench",
        abstract: "Time training and inference of harlab models on each dataset's window shape (JSON lines).")

    @Option(help: "Comma-separated model specs (sa, cnn, lstm, attn+lstm, …).") var models = "sa"
    @Option(help: "Comma-separated dataset shapes: \(BenchmarkShape.all.map(\.name).joined(separator: ", ")).") var datasets = "uci"
    @Option(help: "libtorch threads (default: what `har` uses, the CPUs this process may use).") var threads: Int?
    @Option(help: "Random windows per epoch.") var samples = 2048
    @Option(help: "Timed epochs after one warm-up epoch.") var epochs = 2
    @Option(help: "Training batch size.") var batch = 128
    @Flag(help: "Autocast to bfloat16 (mixed precision on CPU).") var bf16 = false
    @Option(help: "Batch-1 inference repetitions (0: time training only).") var reps = 50
    @Flag(help: "Run `sa` stems with the fused spatial-attention kernel (tool harlab-…-fused); by default it runs for float32 and --bf16 alike.")
    var fused = false
    @Flag(help: "Run `sa` stems layer by layer (tool harlab-…-unfused), also under --bf16.")
    var unfused = false
    @Option(name: .customLong("vs-peer"), help: "Python interpreter with torch: run ../shared/bench/peer_pytorch.py interleaved and print ratios.")
    var peerPython: String?
    @Option(help: "Path of peer_pytorch.py (default: ../shared/bench/peer_pytorch.py from the package root).") var peerScript: String?
    @Option(name: .customLong("load-dsads"), help: "Also time loading DSADS from this folder (data/aNN/pM/sKK.txt) with the given held-out subject; with --vs-peer beside scripts/bench_dsads_load.py.")
    var dsadsFolder: String?
    @Option(help: "Held-out subject for --load-dsads.") var heldOut = 6
    @Option(name: .customLong("vs-onnx"), help: "Python interpreter with onnxruntime and numpy (e.g. .build/python-tools/bin/python): also export each model to ONNX and print its batch-1 latency in ONNX Runtime beside harlab's, as a ratio (scripts/onnx_latency.py).")
    var onnxPython: String?
    @Flag(help: "First measure the float32 arithmetic ceiling (theoretical peak and libtorch GEMM) and report each model's training GFLOP/s as fractions of it.")
    var peak = false
    @Option(name: .customLong("tensorboard-pairs"), help: "Instead of the peer comparison: train this many pairs of epochs, one with a TensorBoard log and one without, and report what the log costs an epoch.")
    var tensorBoardPairs = 0
    @Flag(help: "Instead of the peer comparison: the stream path's sustained input rate (sample lines/s, and the headroom over 25 Hz) and its latency from a sample's arrival on localhost TCP to its prediction (p50/p95), per model and shape.")
    var stream = false

    @Flag(help: "Instead of the peer comparison: training windows/s of this process alone or, with MASTER_ADDR, MASTER_PORT, RANK and WORLD_SIZE set, of the data-parallel job it is a rank of (rank 0 prints; global batch --batch), with the time per step in the gradient all-reduce and the all-reduce alone (scripts/bench_data_parallel.sh).")
    var scaling = false

    @Option(name: .customLong("fusion-pairs"), help: "Instead of the peer comparison: train this many pairs of epochs, one with the fused spatial-attention kernel and one layer by layer, alternating in one process, and report the fused path's speed-up.")
    var fusionPairs = 0

    @Option(name: .customLong("latency-rounds"), help: "Instead of the peer comparison: batch-1 latency only (wall and CPU p50 over --reps calls), this many rounds alternating harlab and, with --vs-peer, PyTorch (scripts/peer_latency.py); without --threads each side keeps its own default.")
    var latencyRounds = 0
    @Option(name: .customLong("latency-variants"), help: "With --latency-rounds: harlab variants measured side by side (default, no-fold, fused, unfused).")
    var latencyVariants = "default"

    func run() throws {
        if let dsadsFolder { try benchmarkLoading(dsadsFolder) }
        guard !models.isEmpty else { return }
        guard !(fused && unfused) else { throw ValidationError("--fused and --unfused exclude each other") }
        let shapes = try datasets.split(separator: ",").map { name -> BenchmarkShape in
            guard let shape = BenchmarkShape.named(String(name)) else {
                throw ValidationError("unknown dataset shape '\(name)' (valid: \(BenchmarkShape.all.map(\.name).joined(separator: ", ")))")
            }
            return shape
        }
        let threads = self.threads ?? ThreadBudget.automatic().count
        let cpu = CPUDescription.current
        let say = { (line: String) in print(cpu.stamping(line, cores: threads)) }
        let ceiling = peak ? try ArithmeticPeak.measure(threads: threads) : nil
        if let ceiling {
            say(ceiling.jsonLine)
            fflush(stdout)
        }
        var settings = TrainingBenchmark.Settings(threads: threads, samples: samples, epochs: epochs, batch: batch, bf16: bf16, repetitions: reps)
        settings.fused = fused ? true : unfused ? false : nil
        if stream {
            for model in models.split(separator: ",").map(String.init) {
                for shape in shapes { say(try StreamBenchmark.run(model: model, shape: shape, predictions: reps, threads: threads).jsonLine) }
            }
            return
        }
        if scaling {
            let parallel = try LaunchEnvironment.from(ProcessInfo.processInfo.environment).map { try DataParallel.join($0) }
            for model in models.split(separator: ",").map(String.init) {
                for shape in shapes {
                    let result = try DataParallelScaling.measure(model: model, shape: shape, settings: settings, parallel: parallel)
                    if parallel?.isPrimary ?? true { say(result.jsonLine) }
                    fflush(stdout)
                }
            }
            return
        }
        if latencyRounds > 0 {
            let variants = try latencyVariants.split(separator: ",").map { name in
                guard let variant = LatencyComparison.Variant.named(String(name)) else {
                    throw ValidationError("unknown latency variant '\(name)' (valid: default, no-fold, fused, unfused)")
                }
                return variant
            }
            let peer = try peerPython.map { try PeerLatencyProcess(python: $0, threads: self.threads) }
            try LatencyComparison.run(models: models.split(separator: ",").map(String.init), shapes: shapes, variants: variants,
                                      threads: self.threads, rounds: latencyRounds, repetitions: reps, peer: peer) {
                say($0)
                fflush(stdout)
            }
            return
        }
        if tensorBoardPairs > 0 {
            for model in models.split(separator: ",").map(String.init) {
                for shape in shapes { say(try TensorBoardOverhead.measure(model: model, shape: shape, settings: settings, pairs: tensorBoardPairs).jsonLine) }
            }
            return
        }
        if fusionPairs > 0 {
            for model in models.split(separator: ",").map(String.init) {
                for shape in shapes { say(try FusedAttentionGain.measure(model: model, shape: shape, settings: settings, pairs: fusionPairs).jsonLine) }
            }
            return
        }
        let peer = try peerPython.map { try PeerBenchmark(python: $0, script: peerScript, settings: settings) }
        for model in models.split(separator: ",").map(String.init) {
            for shape in shapes {
                let ours = try TrainingBenchmark.run(model: model, shape: shape, settings: settings)
                say(ours.jsonLine)
                fflush(stdout)
                if let onnxPython {
                    say(try ONNXLatencyBenchmark.run(model: model, shape: shape, threads: threads, repetitions: reps, python: onnxPython).jsonLine)
                    fflush(stdout)
                }
                guard let peer else { continue }
                let theirs = try peer.run(model: model, shape: shape)
                say(theirs.jsonLine)
                say(ours.comparison(with: theirs, peak: ceiling))
                fflush(stdout)
            }
        }
    }
}

extension BenchCommand {
    /// Times the DSADS loader (and the pandas reference when `--vs-peer` is given), alternating three rounds.
    func benchmarkLoading(_ folder: String) throws {
        let url = URL(fileURLWithPath: folder)
        for _ in 0..<3 {
            let ours = try DatasetBenchmark.run("dsads", from: url, options: ["split": "subjects:\(heldOut)"])
            print(ours)
            fflush(stdout)
            guard let peerPython else { continue }
            let theirs = try PeerBenchmark.runDSADSLoad(python: peerPython, folder: folder, heldOut: heldOut)
            print(theirs.line)
            print("{\"compare\":\"dsads load\",\"speedup\":\((theirs.seconds / ours.loadSeconds * 10).rounded() / 10)}")
            fflush(stdout)
        }
    }
}

import Foundation
import Torch

/// Batch-1 latency of harlab's models beside PyTorch's (`har-bench --latency-rounds`): per model and shape, several
/// rounds that alternate harlab's variants and PyTorch (a long-lived `scripts/peer_latency.py`), each round a median
/// over `repetitions` calls, then the median over rounds and the ratios harlab ÷ PyTorch (below 1: harlab faster).
/// Alternating within one run is what makes the ratios mean something on a machine other processes share.
public enum LatencyComparison {
    /// One way of running harlab's model (each variant gets its own model with the same seed and weights).
    public struct Variant: Sendable, Equatable {
        /// The name printed in the JSON lines.
        public let name: String
        /// Whether conv + batch norm pairs are folded (`Module.setBatchNormFolding`).
        public let foldsBatchNorm: Bool
        /// Whether spatial-attention stages run fused (`Module.setFusedSpatialAttention`; nil: the default choice).
        public let fusedAttention: Bool?

        /// The variants by name: `default` (as `har` runs), `no-fold`, `fused`, `unfused`.
        public static func named(_ name: String) -> Variant? {
            switch name {
            case "default": Variant(name: name, foldsBatchNorm: true, fusedAttention: nil)
            case "no-fold": Variant(name: name, foldsBatchNorm: false, fusedAttention: nil)
            case "fused": Variant(name: name, foldsBatchNorm: true, fusedAttention: true)
            case "unfused": Variant(name: name, foldsBatchNorm: true, fusedAttention: false)
            default: nil
            }
        }
    }

    /// Runs the comparison, handing each round's and each summary's JSON line to `say` as it is measured.
    /// - Parameters:
    ///   - threads: libtorch threads for both sides; nil: each side's own default (harlab's `threads auto`, PyTorch's).
    ///   - peer: the running PyTorch side, or nil for harlab alone.
    /// - Throws: spec, libtorch or peer-script errors.
    public static func run(models: [String], shapes: [BenchmarkShape], variants: [Variant], threads: Int?, rounds: Int,
                           repetitions: Int, peer: PeerLatencyProcess?, say: (String) -> Void) throws {
        let harlabThreads = threads ?? ThreadBudget.automatic().count
        try Runtime.setThreads(harlabThreads)
        for model in models {
            for shape in shapes {
                let built = try variants.map { variant -> any HARModel in
                    let built = try ModelFactory.make(try ModelSpec(model), input: shape.input, seed: 0)
                    built.setBatchNormFolding(variant.foldsBatchNorm)
                    built.setFusedSpatialAttention(variant.fusedAttention)
                    return built
                }
                var ours = [[BatchOneLatency]](repeating: [], count: variants.count)
                var theirs: [PeerLatencyProcess.Answer] = []
                for round in 1...max(1, rounds) {
                    var fields: [String: Any] = ["latency_round": round, "model": model, "dataset": shape.name, "threads": harlabThreads]
                    for (index, variant) in variants.enumerated() {
                        let latency = try BatchOneLatency.measure(built[index], repetitions: repetitions)
                        ours[index].append(latency)
                        fields["harlab_" + variant.name] = ["wall_p50_ms": rounded(latency.wallP50), "cpu_p50_ms": rounded(latency.cpuP50)]
                    }
                    if let peer {
                        let answer = try peer.measure(model: model, dataset: shape.name, repetitions: repetitions)
                        theirs.append(answer)
                        fields["pytorch"] = ["wall_p50_ms": rounded(answer.wallP50), "cpu_p50_ms": rounded(answer.cpuP50), "threads": answer.threads]
                    }
                    say(json(fields))
                }
                say(json(summary(model: model, shape: shape, variants: variants, threads: harlabThreads, ours: ours, theirs: theirs)))
            }
        }
    }

    /// The summary line: medians over rounds per side and the ratios harlab ÷ PyTorch of those medians.
    static func summary(model: String, shape: BenchmarkShape, variants: [Variant], threads: Int, ours: [[BatchOneLatency]],
                        theirs: [PeerLatencyProcess.Answer]) -> [String: Any] {
        var fields: [String: Any] = ["compare": "batch-1 latency", "model": model, "dataset": shape.name, "threads": threads,
                                     "rounds": ours.first?.count ?? 0]
        let peerWall = median(theirs.map(\.wallP50)), peerCPU = median(theirs.map(\.cpuP50))
        if let first = theirs.first {
            fields["pytorch"] = ["tool": first.tool, "threads": first.threads, "wall_p50_ms": rounded(peerWall), "cpu_p50_ms": rounded(peerCPU)]
        }
        for (index, variant) in variants.enumerated() {
            let wall = median(ours[index].map(\.wallP50)), cpu = median(ours[index].map(\.cpuP50))
            var entry: [String: Any] = ["wall_p50_ms": rounded(wall), "cpu_p50_ms": rounded(cpu)]
            if !theirs.isEmpty {
                entry["wall_ratio"] = rounded(wall / peerWall)
                entry["cpu_ratio"] = rounded(cpu / peerCPU)
            }
            fields["harlab_" + variant.name] = entry
        }
        return fields
    }

    private static func rounded(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

    private static func json(_ fields: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

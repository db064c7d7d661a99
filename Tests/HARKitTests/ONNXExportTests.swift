import Foundation
import Torch
import XCTest
@testable import HARKit
import TestSupport

/// Every kind of model harlab builds, exported to ONNX and run by ONNX Runtime (`scripts/run_onnx_models.py`, in the
/// test-only Python tools — no harlab, no PyTorch there): on 64 raw windows the file's logits must equal harlab's
/// evaluation-mode logits on the same windows z-scored, and the ONNX checker (full check) must accept the file.
///
/// Parity bound: max |ONNX − harlab| ≤ 1e-4 · max |harlab logits| per model (relative to the logits' scale; both sides
/// compute in float32, so summation order and the folded batch norm leave about 1e-6). Batch norm statistics and
/// affine parameters are set away from their defaults first, so a wrong fold cannot hide behind an identity.
/// Checked against broken exporters (each made the cases using that part fail): LSTM gates in PyTorch's order, GRU
/// without `linear_before_reset`, a residual block's second batch norm not folded, the attention's query scale left
/// out (the narrowest: 3× the bound for `sa+transformer`).
///
/// Takes a few seconds: twelve tiny models plus two z-score variants, one Python process (ONNX Runtime's import is most of it).
final class ONNXExportTests: IsolatedTestCase {
    static let shape = InputShape(time: 30, channels: 5, classes: 4)
    static let batch = 64
    static let tolerance = 1e-4

    /// Every architecture, tiny; the transformer's patch of 4 over 30 steps also exercises the dropped remainder.
    static let specs: [(name: String, options: [String: String])] = [
        ("sa", ["width": "4", "depth": "2"]), ("cnn", ["width": "4", "depth": "2"]), ("ca", ["width": "4", "depth": "2"]),
        ("resnet", ["width": "4", "depth": "2"]), ("lstm", ["hidden": "8", "layers": "2"]), ("gru", ["hidden": "8", "layers": "2"]),
        ("transformer", ["hidden": "8", "heads": "2", "layers": "2", "patch": "4"]),
        ("deepconvlstm", ["width": "4", "depth": "2", "hidden": "8", "layers": "2"]),
        ("attn+lstm", ["width": "4", "depth": "2", "hidden": "8"]), ("sa+transformer", ["width": "4", "depth": "2", "hidden": "8", "heads": "2", "layers": "1"]),
        ("cnn+lstm", ["width": "4", "depth": "2", "hidden": "8"]), ("resnet+gru", ["width": "4", "depth": "2", "hidden": "8"]),
    ]

    struct Result: Decodable {
        struct Input: Decodable {
            let name: String
            let dims: [Dimension]
        }

        enum Dimension: Decodable, Equatable {
            case fixed(Int), named(String)
            init(from decoder: Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let size = try? container.decode(Int.self) { self = .fixed(size) } else { self = .named(try container.decode(String.self)) }
            }
        }

        let checker: String
        let logits: [[Double]]
        let first: [[Double]]
        let opset: Int
        let irVersion: Int
        let ops: [String]
        let input: Input
        let output: String
        let metadata: [String: String]
    }

    /// Per-channel z-score statistics of the made-up dataset.
    static let mean: [Float] = (0..<shape.channels).map { Float(3 * EquivalenceFormula.uniform($0, stream: 7001)) }
    static let std: [Float] = (0..<shape.channels).map { Float(1.25 + 0.75 * EquivalenceFormula.uniform($0, stream: 7002)) }

    static func description(zScore: ONNXModelDescription.ZScore = .graph) -> ONNXModelDescription {
        ONNXModelDescription(classNames: ["walk", "run", "sit", "lie"], channelNames: (0..<shape.channels).map { "acc_\($0)" },
                             windowLength: shape.time, sampleRate: 25, mean: mean, std: std, zScore: zScore, runID: "7")
    }

    /// Raw sensor windows `[64, 1, T, C]` and the same windows z-scored as harlab's datasets store them.
    static func windows() -> (raw: [Float], normalized: [Float]) {
        let count = batch * shape.time * shape.channels
        let raw = (0..<count).map { mean[$0 % shape.channels] + 2 * std[$0 % shape.channels] * Float(EquivalenceFormula.uniform($0, stream: 7003)) }
        return (raw, raw.indices.map { (raw[$0] - mean[$0 % shape.channels]) / std[$0 % shape.channels] })
    }

    /// `model` with every batch norm's statistics and affine parameters moved off their defaults.
    static func perturbBatchNorms(of model: any HARModel) throws {
        var state = StateDict()
        for (index, (name, tensor)) in model.stateDict().entries.enumerated() {
            guard let dot = name.range(of: ".running_mean", options: .backwards), dot.upperBound == name.endIndex else { continue }
            let prefix = String(name[..<dot.lowerBound])
            let count = tensor.count
            func values(_ stream: Int, _ map: (Double) -> Double) throws -> Tensor {
                try Tensor((0..<count).map { Float(map(EquivalenceFormula.uniform($0, stream: 7100 + 4 * index + stream))) }, shape: [count])
            }
            state.set(prefix + ".running_mean", try values(0) { 0.5 * $0 })
            state.set(prefix + ".running_var", try values(1) { 1.25 + 0.75 * $0 })
            state.set(prefix + ".weight", try values(2) { 1 + 0.5 * $0 })
            state.set(prefix + ".bias", try values(3) { 0.5 * $0 })
        }
        try model.loadState(state, strict: false)
    }

    /// Exports every model, runs them all in ONNX Runtime and returns harlab's logits and ONNX Runtime's results by name.
    static func exportAndRun(_ cases: [(name: String, model: any HARModel, description: ONNXModelDescription, input: [Float])],
                             in folder: URL) throws -> [String: Result] {
        var manifest: [[String: Any]] = []
        for (index, item) in cases.enumerated() {
            let file = folder.appendingPathComponent("model\(index).onnx"), input = folder.appendingPathComponent("input\(index).bin")
            try ONNXExporter.write(item.model, description: item.description, to: file)
            try item.input.withUnsafeBytes { Data($0) }.write(to: input)
            manifest.append(["name": item.name, "file": file.path, "input": input.path,
                             "shape": [batch, 1, shape.time, shape.channels]])
        }
        let manifestURL = folder.appendingPathComponent("manifest.json"), resultsURL = folder.appendingPathComponent("results.json")
        try JSONSerialization.data(withJSONObject: ["cases": manifest]).write(to: manifestURL)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/run_onnx_models.py")
        let run = try PythonTools.run([script.path, manifestURL.path, resultsURL.path])
        XCTAssertEqual(run.status, 0, run.error)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode([String: Result].self, from: Data(contentsOf: resultsURL))
    }

    /// harlab's evaluation-mode logits `[64, K]` of `windows`.
    static func logits(of model: any HARModel, _ windows: [Float]) throws -> [[Double]] {
        model.setTraining(false)
        let values = try withInferenceMode {
            try model(try Tensor(windows, shape: [batch, 1, shape.time, shape.channels])).scalars(as: Double.self)
        }
        return (0..<batch).map { Array(values[($0 * shape.classes)..<(($0 + 1) * shape.classes)]) }
    }

    func testEveryModelMatchesONNXRuntimeAndPassesTheChecker() throws {
        try PythonTools.require("onnxruntime", for: "the ONNX export parity test")
        let folder = try temporaryFolder()
        let (raw, normalized) = Self.windows()
        var cases: [(name: String, model: any HARModel, description: ONNXModelDescription, input: [Float])] = []
        var expected: [String: [[Double]]] = [:]
        for (index, spec) in Self.specs.enumerated() {
            let model = try ModelFactory.make(try ModelSpec(spec.name, options: spec.options), input: Self.shape, seed: UInt64(index + 1))
            try Self.perturbBatchNorms(of: model)
            expected[spec.name] = try Self.logits(of: model, normalized)
            cases.append((spec.name, model, Self.description(), raw))
        }
        // The z-score left to the caller: the file takes z-scored windows and says so.
        let stored = try ModelFactory.make(try ModelSpec("cnn", options: ["width": "4", "depth": "2"]), input: Self.shape, seed: 99)
        try Self.perturbBatchNorms(of: stored)
        expected["cnn (z-score by caller)"] = try Self.logits(of: stored, normalized)
        cases.append(("cnn (z-score by caller)", stored, Self.description(zScore: .metadata), normalized))
        // A dataset without z-score: nothing to fold, nothing to store.
        var plain = Self.description()
        (plain.mean, plain.std) = ([], [])
        expected["cnn (no z-score)"] = expected["cnn (z-score by caller)"]
        cases.append(("cnn (no z-score)", stored, plain, normalized))

        let results = try Self.exportAndRun(cases, in: folder)
        for (name, reference) in expected.sorted(by: { $0.key < $1.key }) {
            let result = try XCTUnwrap(results[name], name)
            XCTAssertEqual(result.checker, "ok", "\(name): the ONNX checker rejects the file")
            let scale = reference.flatMap { $0 }.map(abs).max() ?? 0
            let difference = zip(reference.flatMap { $0 }, result.logits.flatMap { $0 }).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertEqual(result.logits.count, Self.batch, name)
            XCTAssertLessThanOrEqual(difference, Self.tolerance * scale, "\(name): ONNX Runtime's logits differ from harlab's by \(difference)")
            let firstDifference = zip(reference[0], result.first.first ?? []).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThanOrEqual(firstDifference, Self.tolerance * scale, "\(name): a batch of one differs")
            XCTAssertEqual(result.opset, ONNXExporter.opset, name)
            XCTAssertFalse(result.ops.contains("BatchNormalization"), "\(name): batch norm left in the graph: \(result.ops)")
            XCTAssertEqual(result.input.name, "windows", name)
            XCTAssertEqual(result.input.dims, [.named("batch"), .fixed(1), .fixed(Self.shape.time), .fixed(Self.shape.channels)], name)
            XCTAssertEqual(result.output, "logits", name)
        }
        let inGraph = try XCTUnwrap(results["cnn"]), byCaller = try XCTUnwrap(results["cnn (z-score by caller)"])
        XCTAssertEqual(Array(inGraph.ops.filter { $0 == "Sub" || $0 == "Div" }), ["Div", "Sub"], "the z-score is in the graph")
        XCTAssertEqual(inGraph.metadata["zscore"], "in graph")
        XCTAssertEqual(byCaller.metadata["zscore"], "by caller")
        XCTAssertFalse(byCaller.ops.contains("Sub"))
        let none = try XCTUnwrap(results["cnn (no z-score)"])
        XCTAssertEqual(none.metadata["zscore"], "none")
        XCTAssertEqual(none.metadata["zscore_mean"], "[]")
        XCTAssertFalse(none.ops.contains("Sub"))
        // Convolution stems without attention fold every batch norm: only Conv, Relu and the head's operators remain.
        XCTAssertEqual(Set(inGraph.ops), ["Sub", "Div", "Conv", "Relu", "ReduceMean", "Flatten", "Gemm"])
        // Adaptive average pooling to (1, C) is a mean over time only, not a global average pool.
        XCTAssertFalse(results.values.contains { $0.ops.contains("GlobalAveragePool") })
        let metadata = inGraph.metadata
        XCTAssertEqual(metadata["class_names"], #"["walk","run","sit","lie"]"#)
        XCTAssertEqual(metadata["channel_names"], #"["acc_0","acc_1","acc_2","acc_3","acc_4"]"#)
        XCTAssertEqual(metadata["window_length"], "30")
        XCTAssertEqual(metadata["sample_rate"], "25.0")
        XCTAssertEqual(metadata["harlab_version"], HARKit.version)
        XCTAssertEqual(metadata["run_id"], "7")
        XCTAssertEqual(metadata["model"], "cnn depth=2 width=4")
        let storedMean = try JSONDecoder().decode([Float].self, from: Data(try XCTUnwrap(metadata["zscore_mean"]).utf8))
        XCTAssertEqual(storedMean, Self.mean)
    }

    /// A fresh empty folder, removed after the test.
    func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("harlab-onnx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder
    }
}

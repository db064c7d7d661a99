import Foundation
import Torch
import XCTest
@testable import HARKit
import TestSupport

/// A checkpoint harlab writes is read by PyTorch itself: Debian's `python3-torch` (1.13, which scripts/test.sh installs)
/// runs `torch.load` on a fresh `Checkpoint` file, loads its weights with `load_state_dict(strict=True)` into the
/// independently written PyTorch models of `scripts/har_models_torch.py`, and its logits on fixed windows must equal
/// harlab's. Skipped only when `HARLAB_SKIP_PYTORCH=1` asks so; failing when PyTorch is missing otherwise.
///
/// Both sides compute in float64 from the stored float32 weights, so the bound is float64 rounding. Checked against a
/// broken version: with `SpatialAttention` naming its convolution `gate` instead of PyTorch's `gate.0`, the file holds
/// `body.1.gate.weight`, `load_state_dict(strict=True)` refuses it and this test fails.
final class CheckpointPyTorchTests: IsolatedTestCase {
    /// The interpreter with Debian's packages (`python3` on PATH may be another one, without them).
    static let python = "/usr/bin/python3"

    static var script: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/check_checkpoint_in_pytorch.py")
    }

    struct MissingPyTorch: Error, CustomStringConvertible { let description: String }

    struct Answer: Decodable {
        let model: String
        let weights: [String]
        let ignored: [String]
        let logits: [[Double]]
    }

    /// Runs Debian's `python3 arguments…` (bounded by the shared deadline); its status, standard output and error.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: Data, errors: String) {
        let (status, output, error) = try PythonTools.runForData(arguments, interpreter: python)
        return (status, output, error)
    }

    /// Throws `XCTSkip` when `HARLAB_SKIP_PYTORCH=1`, `MissingPyTorch` when Debian's PyTorch is not installed.
    static func requirePyTorch() throws {
        if ProcessInfo.processInfo.environment["HARLAB_SKIP_PYTORCH"] == "1" {
            throw XCTSkip("HARLAB_SKIP_PYTORCH=1: checkpoints were not read back with PyTorch")
        }
        guard FileManager.default.isExecutableFile(atPath: python), (try? run(["-c", "import torch"]))?.status == 0 else {
            throw MissingPyTorch(description: "\(python) cannot import torch: scripts/test.sh installs Debian's python3-torch "
                                 + "(or apt-get install -y python3-torch); HARLAB_SKIP_PYTORCH=1 skips this check")
        }
    }

    func testPyTorchLoadsAFreshCheckpointAndComputesTheSameLogits() throws {
        try Self.requirePyTorch()
        let shape = InputShape(time: 20, channels: 5, classes: 3)
        let dataset = CheckpointDataset(name: "tiny", classNames: ["walk", "sit", "lie"], channelNames: ["a_x", "a_y", "a_z", "g_x", "g_y"],
                                        sampleRate: 50, windowLength: 20, preprocessing: samplePreprocessing)
        let folder = try makeTemporaryFolder(self)
        let windows = (0..<6).map { n in (0..<100).map { 2 * EquivalenceFormula.uniform(n * 100 + $0, stream: 4000) } }
        let windowsURL = folder.appendingPathComponent("windows.json")
        try JSONSerialization.data(withJSONObject: ["windows": windows]).write(to: windowsURL)
        let x = try Tensor(windows.flatMap { $0 }.map { Float($0) }, shape: [6, 1, 20, 5])
        let exactX = try Tensor(windows.flatMap { $0 }, shape: [6, 1, 20, 5])  // float64, as the script reads them
        let y = try Tensor([0, 1, 2, 0, 1, 2] as [Int64], shape: [6])

        for (spec, options) in [("sa", ["width": "4"]), ("sa+transformer", ["width": "4", "hidden": "8", "heads": "2"])] {
            Runtime.manualSeed(11)
            let model = try ModelFactory.make(try ModelSpec(spec, options: options), input: shape)
            let optimizer = AdamW(model.parameters, learningRate: 1e-2, weightDecay: 1e-3)
            model.setTraining(true)  // one step in training mode, so the batch norms' running statistics are not their defaults
            try optimizer.zeroGrad()
            try Functional.crossEntropy(logits: try model(x), labels: y).backward()
            try optimizer.step()
            let url = folder.appendingPathComponent("\(spec).pt")
            try Checkpoint(model: model, optimizer: optimizer, config: TrainingConfig(), dataset: dataset, history: []).write(to: url)

            let result = try Self.run([Self.script.path, url.path, windowsURL.path])
            XCTAssertEqual(result.status, 0, "\(spec): \(result.errors)")
            guard result.status == 0 else { continue }
            let answer = try JSONDecoder().decode(Answer.self, from: result.output)
            XCTAssertEqual(answer.model, spec)
            XCTAssertEqual(answer.weights, model.stateDict().names.sorted(), spec)
            XCTAssertEqual(Set(answer.ignored), Set(["harlab.meta", "harlab.rng", "harlab.checksum"]).union(try optimizer.stateDict().names.map { "optimizer." + $0 }), spec)

            try model.convert(to: .float64)  // the stored float32 weights, widened exactly, as the script does
            model.setTraining(false)
            let logits = try withNoGrad { try model(exactX) }.scalars(as: Double.self)
            let expected = answer.logits.flatMap { $0 }
            XCTAssertEqual(logits.count, expected.count, spec)
            let worst = zip(logits, expected).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThanOrEqual(worst, 1e-9 * max(1, expected.map(abs).max() ?? 0), "\(spec): harlab \(logits) vs PyTorch \(expected)")
        }
    }
}

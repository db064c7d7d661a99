import Foundation
import Torch
import XCTest
@testable import HARKit
import TestSupport

/// Evaluation mode turns off every dropout of a model, the reader's own before the head included: the reader's
/// children are listed as the model's (for PyTorch's parameter names), so `setTraining` once missed the reader and
/// `deepconvlstm` (dropout 0.5 by default) gave different "evaluation" logits on every call. Found by the ONNX
/// parity test, whose exported graph has no dropout.
final class EvaluationModeTests: IsolatedTestCase {
    func testEvaluationModeIsDeterministicForEveryReaderWithDropout() throws {
        let input = InputShape(time: 30, channels: 3, classes: 4)
        let windows = try Tensor((0..<(8 * 30 * 3)).map { Float(EquivalenceFormula.uniform($0, stream: 9001)) }, shape: [8, 1, 30, 3])
        for spec in ["deepconvlstm width=4 depth=2 hidden=8", "cnn width=4 depth=2 dropout=0.5", "lstm hidden=8 dropout=0.5",
                     "sa+transformer width=4 depth=2 hidden=8 heads=2 dropout=0.5"] {
            let parts = spec.split(separator: " ")
            let options = Dictionary(uniqueKeysWithValues: parts.dropFirst().map { part -> (String, String) in
                let pair = part.split(separator: "=")
                return (String(pair[0]), String(pair[1]))
            })
            let model = try ModelFactory.make(try ModelSpec(String(parts[0]), options: options), input: input, seed: 3)
            model.setTraining(false)
            let first = try withInferenceMode { try model(windows).scalars(as: Float.self) }
            let second = try withInferenceMode { try model(windows).scalars(as: Float.self) }
            XCTAssertEqual(first, second, "\(spec): evaluation mode still drops out")
            model.setTraining(true)
            let training = try model(windows).scalars(as: Float.self)
            XCTAssertNotEqual(training, first, "\(spec): training mode drops out")
        }
    }
}

import Foundation
import Torch
import XCTest
@testable import HARKit
import TestSupport

/// Every kind of model harlab builds against an independently written PyTorch version of it
/// (`scripts/har_models_torch.py`, fixture from `scripts/make_model_parity_fixture.py`): the same formula weights by
/// state-dict name, the same windows, in float64; the training-mode logits and loss, the change of every parameter and
/// running statistic after one SGD step (momentum, weight decay), and the evaluation-mode logits after it must agree.
///
/// Float64 on both sides leaves only summation-order rounding (about 1e-15 relative), so the bound below is far above
/// that and far below any real difference of architecture or arithmetic. Checked against broken versions (each made
/// the cases of the models using that part fail): the pooled head taking the max instead of the mean over time, the
/// recurrent reader reading the first step instead of the last, the channel gate's bottleneck without its ReLU, the
/// spatial gate's convolution named `gate` instead of `gate.0`.
final class ModelParityTests: IsolatedTestCase {
    static let tolerance = 1e-9

    struct Case: Decodable {
        let model: String
        let options: [String: Double]
        let parameters: Int
        let stateNames: [String]
        let logits: [Double]
        let loss: Double
        let changeSum: [String: Double]
        let changeL1: [String: Double]
        let evalLogitsAfterStep: [Double]
    }

    struct Document: Decodable {
        let time: Int, channels: Int, classes: Int, batch: Int
        let learningRate: Double, momentum: Double, weightDecay: Double
        let cases: [Case]
    }

    static func document() throws -> Document {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/models/parity", withExtension: "json"))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Document.self, from: Data(contentsOf: url))
    }

    /// The script's formula weights for `model`'s state-dict names (see `make_model_parity_fixture.py`), float64.
    static func formulaState(of model: any HARModel) throws -> StateDict {
        let entries = model.stateDict().entries
        let shapes = Dictionary(uniqueKeysWithValues: entries.map { ($0.name, $0.tensor.shape) })
        var state = StateDict()
        for (k, name) in entries.map(\.name).sorted().enumerated() {
            let shape = shapes[name]!, count = shape.reduce(1, *)
            let dot = name.lastIndex(of: ".")
            let prefix = dot.map { String(name[...$0]) } ?? "", leaf = dot.map { String(name[name.index(after: $0)...]) } ?? name
            if leaf == "num_batches_tracked" {
                state.set(name, try Tensor([Int64](repeating: 0, count: count), shape: shape))
                continue
            }
            let u = (0..<count).map { EquivalenceFormula.uniform($0, stream: k + 1) }
            let sibling = shapes[prefix + leaf.replacingOccurrences(of: "bias", with: "weight")]
            let values: [Double]
            if leaf == "running_var" {
                values = Array(repeating: 1, count: count)
            } else if leaf == "running_mean" {
                values = Array(repeating: 0, count: count)
            } else if shape.count == 1, let sibling, sibling.count == 1 {
                values = u.map { leaf == "weight" ? 1 + 0.1 * $0 : 0.1 * $0 }
            } else {
                let fanShape = shape.count >= 2 ? shape : try XCTUnwrap(sibling, "no formula for \(name)")
                let bound = 1 / Double(fanShape.dropFirst().reduce(1, *)).squareRoot()
                values = u.map { bound * $0 }
            }
            state.set(name, try Tensor(values, shape: shape))
        }
        return state
    }

    /// The script's windows `[B, 1, T, C]` (float64) and labels.
    static func batch(_ document: Document) throws -> (Tensor, Tensor) {
        let size = document.time * document.channels
        let labels = (0..<document.batch).map { Int64(EquivalenceFormula.hash($0, stream: 1000) % UInt32(document.classes)) }
        let values = (0..<document.batch * size).map { 2 * EquivalenceFormula.uniform($0, stream: 2000) }
        return (try Tensor(values, shape: [document.batch, 1, document.time, document.channels]), try Tensor(labels, shape: [document.batch]))
    }

    func assertClose(_ actual: [Double], _ expected: [Double], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, what, file: file, line: line)
        let scale = max(1, expected.map(abs).max() ?? 0)
        let worst = zip(actual, expected).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, Self.tolerance * scale, "\(what): largest difference \(worst)", file: file, line: line)
    }

    func testEveryModelMatchesItsIndependentPyTorchVersionInForwardAndOneSGDStep() throws {
        let document = try Self.document()
        let shape = InputShape(time: document.time, channels: document.channels, classes: document.classes)
        let (x, y) = try Self.batch(document)
        XCTAssertEqual(Set(document.cases.map { try! ModelSpec($0.model).description }).count, document.cases.count)
        for reference in document.cases {
            let options = reference.options.mapValues { $0 == $0.rounded() ? String(Int($0)) : String($0) }
            let model = try ModelFactory.make(try ModelSpec(reference.model, options: options), input: shape)
            let name = "\(reference.model) \(options.sorted { $0.key < $1.key })"
            XCTAssertEqual(model.parameterCount, reference.parameters, name)
            XCTAssertEqual(model.stateDict().names.sorted(), reference.stateNames.sorted(), name)
            guard model.stateDict().names.sorted() == reference.stateNames.sorted() else { continue }
            try model.convert(to: .float64)
            try model.loadState(try Self.formulaState(of: model))
            let before = Dictionary(uniqueKeysWithValues: try model.stateDict().entries.map { ($0.name, try $0.tensor.scalars(as: Double.self)) })

            model.setTraining(true)
            let optimizer = try SGD(model.parameters, learningRate: document.learningRate, momentum: document.momentum,
                                    weightDecay: document.weightDecay)
            let logits = try model(x)
            XCTAssertEqual(logits.dtype, .float64, name)
            let loss = try Functional.crossEntropy(logits: logits, labels: y)
            assertClose(try logits.scalars(as: Double.self), reference.logits, "\(name): training-mode logits")
            assertClose([try loss.item()], [reference.loss], "\(name): loss")
            try optimizer.zeroGrad()
            try loss.backward()
            try optimizer.step()

            for (entry, tensor) in model.stateDict().entries {
                let change = zip(try tensor.scalars(as: Double.self), before[entry]!).map { $0 - $1 }
                let sum = change.reduce(0, +), l1 = change.map(abs).reduce(0, +)
                let expectedL1 = reference.changeL1[entry] ?? .nan
                XCTAssertLessThanOrEqual(abs(l1 - expectedL1), Self.tolerance * max(1e-3, expectedL1), "\(name): L1 change of \(entry), \(l1) vs \(expectedL1)")
                XCTAssertLessThanOrEqual(abs(sum - (reference.changeSum[entry] ?? .nan)), Self.tolerance * max(1e-3, expectedL1),
                                         "\(name): summed change of \(entry), \(sum) vs \(reference.changeSum[entry] ?? .nan)")
            }
            model.setTraining(false)
            let after = try withNoGrad { try model(x) }
            assertClose(try after.scalars(as: Double.self), reference.evalLogitsAfterStep, "\(name): evaluation-mode logits after the step")
        }
    }
}

import XCTest
import HARKit
import Torch
@testable import HARShell
import TestSupport

/// `model`, `summary` and `inspect weights` over HARKit's model factory.
final class ModelCommandTests: IsolatedTestCase {
    private let shape = InputShape(time: 16, channels: 3, classes: 4)

    /// An interpreter whose session holds a freshly built model of `spec`.
    private func shellWithModel(_ spec: String, options: [String: String] = [:]) throws -> (Interpreter, OutputBuffer) {
        let (shell, out) = makeInterpreter()
        shell.session.model = try ModelFactory.make(try ModelSpec(spec, options: options), input: shape)
        return (shell, out)
    }

    func testModelWithoutADatasetFailsSayingWhatToLoadAndKeepsTheModel() throws {
        let (shell, out) = try shellWithModel("sa", options: ["width": "4", "depth": "1"])
        let before = shell.session.model.map(ObjectIdentifier.init)
        XCTAssertEqual(shell.execute("model cnn"), .failure)
        XCTAssertTrue(out.errors.last?.error.message.hasPrefix("no dataset loaded") == true)
        XCTAssertEqual(shell.session.model.map(ObjectIdentifier.init), before)
    }

    func testModelSpecErrorsPointAtTheWrongWord() {
        let cases: [(String, String, Int)] = [
            ("model atn+lstm", "unknown model 'atn+lstm' — did you mean 'attn+lstm'?", 6),
            ("model sa+lsmt", "unknown model 'sa+lsmt' — did you mean 'sa+lstm'?", 9),
            ("model transfomer", "unknown model 'transfomer' — did you mean 'transformer'?", 6),
            ("model sa widht=8", "unknown model option 'widht' — did you mean 'width'?", 9),
            ("model sa dropout=1.5", "dropout must be in [0, 1), got 1.5", 9),
        ]
        for (line, prefix, position) in cases {
            let (shell, out) = makeInterpreter()
            XCTAssertEqual(shell.execute(line), .failure, line)
            let error = out.errors.last?.error
            XCTAssertTrue(error?.message.hasPrefix(prefix) == true, "\(line): \(error?.message ?? "")")
            XCTAssertEqual(error?.position, position, line)
        }
    }

    func testSummaryTotalsMatchTheModelAndItsRows() throws {
        let (shell, out) = try shellWithModel("sa", options: ["width": "4", "depth": "2"])
        XCTAssertEqual(shell.execute("summary"), .success)
        let result = try XCTUnwrap(out.results.last)
        let model = try XCTUnwrap(shell.session.model)
        XCTAssertEqual(result["parameters"]?.intValue, model.parameterCount)
        XCTAssertEqual(result["trainable_parameters"]?.intValue, model.parameterCount)
        let layers = result["layers"]?.arrayValue ?? []
        XCTAssertFalse(layers.isEmpty)
        XCTAssertEqual(layers.compactMap { $0["parameters"]?.intValue }.reduce(0, +), model.parameterCount)
        XCTAssertEqual(layers.compactMap { $0["macs"]?.intValue }.reduce(0, +), result["macs"]?.intValue)
        XCTAssertEqual(layers.last?["output_shape"], .array([.int(1), .int(4)]), "the last layer gives the 4 class logits")
        XCTAssertTrue(out.lines.last?.hasPrefix("total: \(grouped(model.parameterCount)) parameters") == true)
    }

    func testSummaryWithoutAModelFails() {
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.execute("summary"), .failure)
        XCTAssertTrue(out.errors.last?.error.message.hasPrefix("no model yet") == true)
    }

    func testInspectWeightsListsEveryParameterWithItsStatistics() throws {
        let (shell, out) = try shellWithModel("cnn", options: ["width": "4", "depth": "1"])
        XCTAssertEqual(shell.execute("inspect weights"), .success)
        let model = try XCTUnwrap(shell.session.model)
        let entries = out.results.last?["parameters"]?.arrayValue ?? []
        let named = model.namedParameters()
        XCTAssertEqual(entries.compactMap { $0["name"]?.stringValue }, named.map(\.name))
        let first = try XCTUnwrap(named.first?.tensor)
        let values = try first.scalars(as: Float.self).map(Double.init)
        let mean = values.reduce(0, +) / Double(values.count)
        XCTAssertEqual(entries[0]["mean"]?.doubleValue ?? .nan, mean, accuracy: 1e-5)
        XCTAssertEqual(entries[0]["min"]?.doubleValue, values.min())
        XCTAssertEqual(entries[0]["max"]?.doubleValue, values.max())
        XCTAssertEqual(entries[0]["count"]?.intValue, values.count)
    }

    func testGroupedNumbers() {
        XCTAssertEqual(grouped(1234567), "1,234,567")
        XCTAssertEqual(grouped(999), "999")
        XCTAssertEqual(grouped(-1000), "-1,000")
    }
}

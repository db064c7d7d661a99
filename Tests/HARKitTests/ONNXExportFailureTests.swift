import Foundation
import Torch
import XCTest
@testable import HARKit
import TestSupport

/// Exports that cannot succeed say why and write nothing: a model with a layer that has no ONNX form, a path in a
/// missing folder, a description that does not fit the model. An existing file at the target stays as it was.
final class ONNXExportFailureTests: IsolatedTestCase {
    /// A stem the exporter does not know (a max over time, as a stand-in for any layer with no ONNX form here).
    final class MaxStem: FeatureStem {
        let outputWidth = 1, outputTime = 1
        var isTraining = true
        func forward(_ x: Tensor, recorder: LayerRecorder?, prefix: String) throws -> Tensor { try x.max() }
        func attentionMaps(prefix: String) -> [AttentionMap] { [] }
        func callAsFunction(_ x: Tensor) throws -> Tensor { try x.max() }
    }

    let shape = ONNXExportTests.shape

    func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("harlab-onnx-fail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder
    }

    func testALayerWithNoONNXFormIsNamedAndNothingIsWritten() throws {
        let model = ComposedModel(spec: try ModelSpec("cnn"), input: shape, stem: MaxStem(),
                                  reader: try PooledReader(width: 1, channels: shape.channels, classes: shape.classes, dropout: 0))
        let folder = try folder()
        let target = folder.appendingPathComponent("model.onnx")
        try Data("earlier file".utf8).write(to: target)
        XCTAssertThrowsError(try ONNXExporter.write(model, description: ONNXExportTests.description(), to: target)) { error in
            XCTAssertEqual((error as? ONNXExportError)?.message, "the stem MaxStem has no ONNX form in this exporter")
        }
        XCTAssertEqual(try String(contentsOf: target, encoding: .utf8), "earlier file", "the existing file is untouched")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["model.onnx"], "no temporary file is left")
    }

    func testAPathInAMissingFolderIsNamed() throws {
        let model = try ModelFactory.make(try ModelSpec("cnn", options: ["width": "4", "depth": "2"]), input: shape, seed: 1)
        let target = try folder().appendingPathComponent("missing/model.onnx")
        XCTAssertThrowsError(try ONNXExporter.write(model, description: ONNXExportTests.description(), to: target)) { error in
            let message = (error as? ONNXExportError)?.message ?? "\(error)"
            XCTAssertTrue(message.contains(target.path), message)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: target.deletingLastPathComponent().path))
    }

    func testADescriptionThatDoesNotFitTheModelIsRefused() throws {
        let model = try ModelFactory.make(try ModelSpec("cnn", options: ["width": "4", "depth": "2"]), input: shape, seed: 1)
        var description = ONNXExportTests.description()
        description.windowLength = 60
        XCTAssertThrowsError(try ONNXExporter.data(of: model, description: description)) { error in
            XCTAssertEqual((error as? ONNXExportError)?.message,
                           "model 'cnn depth=2 width=4' takes 30×5 → 4 classes but the dataset has windows 60×5 → 4 classes")
        }
        description = ONNXExportTests.description()
        description.std.removeLast()
        XCTAssertThrowsError(try ONNXExporter.data(of: model, description: description)) { error in
            XCTAssertEqual((error as? ONNXExportError)?.message, "the z-score has 5 means and 4 standard deviations for 5 channels")
        }
    }
}

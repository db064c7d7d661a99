import FileSupport
import Foundation
import SwiftProtobuf
import Torch

/// Writes a harlab model as one ONNX file that ONNX Runtime runs without harlab or PyTorch: the evaluation-mode
/// forward pass (dropout off, batch norm with its running statistics folded), input `windows` `[batch, 1, T, C]`
/// float32 with a dynamic batch axis, output `logits` `[batch, K]`, optionally the dataset's z-score as the first
/// operations, and `ONNXModelDescription`'s metadata.
///
/// Opset 9 (IR version 4) is the lowest that expresses every harlab model: `Erf` (GELU's exact form) arrived in
/// opset 9; everything else the models need — `Conv`, `Gemm`, `MatMul`, `LSTM`/`GRU` (`linear_before_reset`),
/// `ReduceMean`, `Softmax`, `Reshape`, `Transpose`, `Slice`/`Squeeze`/`Unsqueeze` with attribute axes — is older.
/// Layer normalisation is therefore decomposed (LayerNormalization is opset 17).
public enum ONNXExporter {
    /// The ONNX operator set the files use.
    public static let opset = 9
    /// The ONNX IR version that goes with `opset` (ONNX 1.4).
    public static let irVersion = 4
    /// The graph input's name.
    public static let inputName = "windows"
    /// The graph output's name.
    public static let outputName = "logits"

    /// The serialised ONNX model of `model` in evaluation mode (the model's own mode is left as it was).
    /// - Throws: `ONNXExportError` when a layer has no ONNX form; `TorchError` when a weight cannot be read.
    public static func data(of model: any HARModel, description: ONNXModelDescription) throws -> Data {
        try proto(of: model, description: description).serializedData()
    }

    /// Writes `model` to `url` atomically: the file is complete or not there (an existing file stays untouched when
    /// anything fails).
    /// - Throws: `ONNXExportError` naming the layer or the path.
    public static func write(_ model: any HARModel, description: ONNXModelDescription, to url: URL) throws {
        let bytes = try data(of: model, description: description)
        do { try AtomicFile.write(bytes, to: url) } catch {
            throw ONNXExportError("cannot write \(url.path): \(error)")
        }
    }

    /// The model message: graph, opset, producer and metadata.
    static func proto(of model: any HARModel, description: ONNXModelDescription) throws -> Onnx_ModelProto {
        guard let composed = model as? ComposedModel else {
            throw ONNXExportError("model '\(model.spec)' (\(type(of: model))) has no ONNX form: only harlab's composed models export")
        }
        let shape = model.inputShape
        guard description.channelNames.count == shape.channels, description.windowLength == shape.time,
              description.classNames.count == shape.classes else {
            throw ONNXExportError("model '\(model.spec)' takes \(shape) but the dataset has windows \(description.windowLength)×"
                                  + "\(description.channelNames.count) → \(description.classNames.count) classes")
        }
        guard description.mean.count == description.std.count, description.mean.isEmpty || description.mean.count == shape.channels else {
            throw ONNXExportError("the z-score has \(description.mean.count) means and \(description.std.count) standard deviations "
                                  + "for \(shape.channels) channels")
        }
        let graph = ONNXGraph()
        var x = inputName
        if description.zScoresInGraph {
            let columns = [1, 1, 1, shape.channels]
            x = graph.node("Sub", [x, graph.constant("zscore.mean", description.mean.map(Double.init), shape: columns)], scope: "zscore")
            x = graph.node("Div", [x, graph.constant("zscore.std", description.std.map(Double.init), shape: columns)], scope: "zscore")
        }
        if let stem = composed.stem { x = try graph.stem(stem, x, prefix: "body") }
        let logits = try graph.reader(composed.reader, x, width: composed.stem?.outputWidth ?? 1,
                                      time: composed.stem?.outputTime ?? shape.time, channels: shape.channels)
        var model = Onnx_ModelProto()
        model.irVersion = Int64(irVersion)
        var opsetID = Onnx_OperatorSetIdProto()
        opsetID.domain = ""
        opsetID.version = Int64(opset)
        model.opsetImport = [opsetID]
        model.producerName = "harlab"
        model.producerVersion = HARKit.version
        model.docString = "harlab model '\(composed.spec)' for windows \(shape)"
        model.graph = graph.proto(name: composed.spec.name, input: inputName,
                                  inputShape: [.dynamic("batch"), .fixed(1), .fixed(shape.time), .fixed(shape.channels)],
                                  output: outputName, outputShape: [.dynamic("batch"), .fixed(shape.classes)], last: logits)
        model.metadataProps = ([("model", composed.spec.description)] + description.properties).map { key, value in
            var entry = Onnx_StringStringEntryProto()
            (entry.key, entry.value) = (key, value)
            return entry
        }
        return model
    }
}

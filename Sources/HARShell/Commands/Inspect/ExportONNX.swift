import Foundation
import HARKit

/// `export onnx FILE [zscore=graph|metadata]`: the current model as an ONNX file for ONNX Runtime (see `ONNXExporter`).
struct ONNXExported: CommandOutput {
    /// The model's spec.
    var model: String
    /// The file written, as the user named it.
    var file: String
    /// Its bytes.
    var bytes: Int
    /// Where the z-score is applied.
    var zScore: ONNXModelDescription.ZScore
    /// Whether the dataset is z-scored at all.
    var normalized: Bool
    /// The run the weights come from ("" when untrained).
    var runID: String

    /// `exported sa to FILE (ONNX opset 9, N bytes; …)`.
    func lines(in layout: TextLayout) -> [String] {
        let zScoreNote = !normalized ? "the dataset is not z-scored"
            : zScore == .graph ? "z-score in the graph: feed raw windows" : "z-score by the caller: mean and std in the metadata"
        return ["exported \(model) to \(file) (ONNX opset \(ONNXExporter.opset), \(bytes) bytes; input [batch, 1, T, C]; \(zScoreNote))"]
    }

    /// `format` (onnx), `file`, `model`, `bytes`, `opset`, `zscore`, `run_id`.
    var result: CommandResult {
        CommandResult(command: "export", fields: [
            ("format", .string("onnx")), ("file", .string(file)), ("model", .string(model)), ("bytes", .int(bytes)),
            ("opset", .int(ONNXExporter.opset)), ("zscore", .string(normalized ? zScore.rawValue : "none")), ("run_id", .string(runID)),
        ])
    }
}

extension Interpreter {
    /// `export onnx FILE`: writes the current model, its dataset's description and z-score, atomically.
    func exportONNX(_ arguments: Arguments) throws -> ONNXExported {
        let file = try arguments.required(1, "FILE")
        let model = try currentModel(for: arguments)
        let dataset = try currentDataset(for: arguments)
        var zScore = ONNXModelDescription.ZScore.graph
        if let option = arguments.option("zscore") {
            guard let value = ONNXModelDescription.ZScore(rawValue: option.value) else {
                throw ShellError("zscore=\(option.value) is not a z-score placement (valid: graph, metadata)", at: option.offset)
            }
            zScore = value
        }
        let run = session.currentRun
        let runID = run.map { run in run.storeID.map { "\($0)" } ?? "session:\(run.id)" } ?? ""
        let url = resolve(file.value)
        do {
            try ONNXExporter.write(model, description: ONNXModelDescription(dataset: dataset, zScore: zScore, runID: runID), to: url)
        } catch let error as ONNXExportError {
            throw ShellError(error.message, at: file.offset)
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        return ONNXExported(model: model.spec.description, file: file.value, bytes: bytes, zScore: zScore,
                                 normalized: dataset.protocolDescription.normalized, runID: runID)
    }
}

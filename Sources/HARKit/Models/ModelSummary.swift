import Torch

/// A model's layer table: output shape, parameters and multiply-adds per layer, with totals.
public struct ModelSummary: Sendable, Equatable, Codable {
    /// The layers in forward order.
    public let rows: [LayerRecorder.Row]
    /// All trainable scalars of the model.
    public let parameters: Int
    /// Trainable scalars (equal to `parameters`: harlab has no frozen layers).
    public let trainableParameters: Int
    /// Multiply-accumulates per window (forward pass).
    public let macs: Int

    /// Traces one window of zeros through `model` in evaluation mode.
    public init(of model: any HARModel) throws {
        let recorder = LayerRecorder()
        let shape = model.inputShape
        _ = try model.evaluating { try model.forward(try Tensor.zeros([1, 1, shape.time, shape.channels]), recorder: recorder) }
        rows = recorder.rows
        parameters = model.parameterCount
        trainableParameters = parameters
        macs = recorder.rows.reduce(0) { $0 + $1.macs }
    }
}

import Torch

/// One parameter tensor's shape and value statistics, as `inspect weights` lists them.
public struct ParameterStatistics: Sendable, Equatable {
    /// The parameter's PyTorch-style name, e.g. "body.0.weight".
    public let name: String
    /// Its shape.
    public let shape: [Int]
    /// Its element count.
    public let count: Int
    /// The mean of its elements.
    public let mean: Double
    /// The population standard deviation of its elements.
    public let standardDeviation: Double
    /// Its smallest element.
    public let min: Double
    /// Its largest element.
    public let max: Double

    /// Every parameter of `model`, in the model's parameter order.
    /// - Throws: `TorchError` when a reduction fails.
    public static func of(_ model: any HARModel) throws -> [ParameterStatistics] {
        try withNoGrad {
            try model.namedParameters().map { name, tensor in
                ParameterStatistics(name: name, shape: tensor.shape, count: tensor.count, mean: try tensor.mean().item(),
                                    standardDeviation: try tensor.standardDeviation(unbiased: false).item(),
                                    min: try tensor.min().item(), max: try tensor.max().item())
            }
        }
    }
}

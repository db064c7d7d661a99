import Torch

/// A convolutional feature extractor: `[B, 1, T, C]` → `[B, F, T', C]`.
public protocol FeatureStem: Module {
    /// Feature maps out (F).
    var outputWidth: Int { get }
    /// Time steps out (T').
    var outputTime: Int { get }
    /// The forward pass, recording layers under `prefix`.
    func forward(_ x: Tensor, recorder: LayerRecorder?, prefix: String) throws -> Tensor
    /// Attention maps of the last forward pass.
    func attentionMaps(prefix: String) -> [AttentionMap]
}

extension ConvStem: FeatureStem {}

/// Builds the stem a spec names.
func makeStem(_ name: String, input: InputShape, width: Int, depth: Int) throws -> any FeatureStem {
    switch name {
    case "sa": return try ConvStem(input: input, width: width, depth: depth, attention: .spatial)
    case "ca": return try ConvStem(input: input, width: width, depth: depth, attention: .channel)
    case "cnn": return try ConvStem(input: input, width: width, depth: depth, attention: .none)
    case "resnet": return try ResidualStem(input: input, width: width, depth: depth)
    default: throw ModelSpecError.unknown("stem", name, valid: ModelSpec.stems)
    }
}

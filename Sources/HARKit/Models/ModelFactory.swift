import Torch

/// Builds models from specs for a dataset's window shape.
public enum ModelFactory {
    /// A freshly initialised model. Weights come from libtorch's global generator, which `seed` (when given) seeds first,
    /// so the same seed builds the same weights; without it the caller seeds for reproducibility.
    /// - Throws: `ModelSpecError` or `TorchError` when the spec does not fit the shape (e.g. too many stages for the window),
    ///   or when training it would need more memory than `ResourceLimits.modelBytes`.
    public static func make(_ spec: ModelSpec, input: InputShape, seed: UInt64? = nil) throws -> any HARModel {
        if let seed { Runtime.manualSeed(seed) }
        guard input.time >= 1, input.channels >= 1, input.classes >= 2 else {
            throw ModelSpecError("cannot build a model for windows \(input.time)×\(input.channels) with \(input.classes) classes", word: spec.name)
        }
        try checkMemory(spec, input: input)
        let dropout = spec.real("dropout", default: 0)
        if spec.standaloneName == "deepconvlstm" {
            let stem = try DeepConvStem(input: input, width: spec.integer("width", default: 64), depth: spec.integer("depth", default: 4))
            let reader = try RecurrentReader(cell: .lstm, features: stem.outputWidth * input.channels, hidden: spec.integer("hidden", default: 128),
                                             layers: spec.integer("layers", default: 2), classes: input.classes, dropout: spec.real("dropout", default: 0.5))
            return ComposedModel(spec: spec, input: input, stem: stem, reader: reader)
        }
        var stem: (any FeatureStem)?
        if let stemName = spec.stem {
            let isHybrid = spec.reader != nil
            let width = spec.integer("width", default: isHybrid ? 32 : 64)
            let depth = spec.integer("depth", default: isHybrid ? 2 : 4)
            guard depth <= 10, width << (depth - 1) <= 4096 else {
                throw ModelSpecError("width=\(width) depth=\(depth) gives \(width << (depth - 1)) feature maps in the last stage; at most 4096", word: spec.name)
            }
            stem = try makeStem(stemName, input: input, width: width, depth: depth)
        }
        let width = stem?.outputWidth ?? 1, time = stem?.outputTime ?? input.time
        let reader: any SequenceReader
        switch spec.reader {
        case nil:
            reader = try PooledReader(width: width, channels: input.channels, classes: input.classes, dropout: dropout)
        case "lstm", "gru":
            let standalone = stem == nil
            reader = try RecurrentReader(cell: spec.reader == "lstm" ? .lstm : .gru, features: width * input.channels,
                                         hidden: spec.integer("hidden", default: standalone ? 512 : 128),
                                         layers: spec.integer("layers", default: standalone ? 2 : 1), classes: input.classes, dropout: dropout)
        default:
            let patch = stem == nil ? spec.integer("patch", default: max(1, input.time / 16)) : 1
            guard patch <= time else { throw ModelSpecError("patch=\(patch) is longer than the \(time)-step window", word: "patch") }
            reader = try TransformerReader(tokens: time / patch, features: patch * width * input.channels,
                                           modelSize: spec.integer("hidden", default: 64), heads: spec.integer("heads", default: 4),
                                           layers: spec.integer("layers", default: 2), classes: input.classes,
                                           dropout: spec.real("dropout", default: 0.1), patch: patch)
        }
        return ComposedModel(spec: spec, input: input, stem: stem, reader: reader)
    }
}

import Torch

/// Builds models from specs for a dataset's window shape.
public enum ModelFactory {
    /// A freshly initialised model. Weights come from libtorch's global generator: seed it first for reproducibility.
    /// - Throws: `ModelSpecError` or `TorchError` when the spec does not fit the shape (e.g. too many stages for the window).
    public static func make(_ spec: ModelSpec, input: InputShape) throws -> any HARModel {
        guard input.time >= 1, input.channels >= 1, input.classes >= 2 else {
            throw ModelSpecError("cannot build a model for windows \(input.time)×\(input.channels) with \(input.classes) classes", word: spec.name)
        }
        let dropout = spec.real("dropout", default: 0)
        if let name = spec.standaloneName {
            switch name {
            default: throw ModelSpecError.unknown("model", name, valid: ModelSpec.knownNames)
            }
        }
        guard let stemName = spec.stem else {
            throw ModelSpecError("model '\(spec.name)' needs layers that are not available yet", word: spec.name)
        }
        let isHybrid = spec.reader != nil
        let width = spec.integer("width", default: isHybrid ? 32 : 64)
        let depth = spec.integer("depth", default: isHybrid ? 2 : 4)
        guard depth <= 10, width << (depth - 1) <= 4096 else {
            throw ModelSpecError("width=\(width) depth=\(depth) gives \(width << (depth - 1)) feature maps in the last stage; at most 4096", word: spec.name)
        }
        let stem = try makeStem(stemName, input: input, width: width, depth: depth)
        let reader: any SequenceReader
        switch spec.reader {
        case nil:
            reader = try PooledReader(width: stem.outputWidth, channels: input.channels, classes: input.classes, dropout: dropout)
        case let name?:
            throw ModelSpecError("reader '\(name)' is not available yet", word: name)
        }
        return ComposedModel(spec: spec, input: input, stem: stem, reader: reader)
    }
}

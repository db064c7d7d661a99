import Foundation
import Torch

/// A model's weights, optimizer state, schedule position, random state and metadata, in one file.
///
/// On disk it is a `torch.save` dict: the weights under their PyTorch names (`body.0.weight`, …), so
/// `torch.load(path)["body.0.weight"]` works in Python; the optimizer's state under `optimizer.`; libtorch's
/// generator state in `harlab.rng`; the metadata as UTF-8 JSON in the uint8 tensor `harlab.meta`; and a CRC-32
/// of everything else in `harlab.checksum`, so a damaged file is refused rather than half-believed.
public struct Checkpoint {
    /// The file layout this harlab writes and reads.
    public static let format = 1
    /// Entry names reserved for harlab's own use.
    static let metaName = "harlab.meta", randomName = "harlab.rng", checksumName = "harlab.checksum", optimizerPrefix = "optimizer."

    /// Model, training and dataset description.
    public var metadata: CheckpointMetadata
    /// The model's parameters and buffers by PyTorch name.
    public var weights: StateDict
    /// The optimizer's state (empty when saved without one).
    public var optimizerState: StateDict
    /// libtorch's CPU generator state when saved, if recorded.
    public var randomState: Tensor?

    /// A snapshot of `model` (copies of its tensors) with `optimizer`'s state, trained with `config` on `dataset`
    /// for the epochs in `history`, with libtorch's current random state.
    /// - Throws: `CheckpointError` when `dataset`'s shape is not the model's input shape.
    public init(model: any HARModel, optimizer: (any Optimizer)?, config: TrainingConfig, dataset: CheckpointDataset,
                history: [EpochRecord], savedAt: Date = Date()) throws {
        guard dataset.inputShape == model.inputShape else {
            throw CheckpointError("dataset '\(dataset.name)' has windows \(dataset.inputShape) but the model was built for \(model.inputShape)")
        }
        metadata = CheckpointMetadata(format: Checkpoint.format, modelName: model.spec.name, modelOptions: model.spec.options,
                                      input: model.inputShape, config: config, epoch: history.last?.epoch ?? 0,
                                      learningRate: optimizer?.learningRate ?? config.learningRate, history: history,
                                      dataset: dataset, versions: HARKit.versions, savedAt: savedAt)
        weights = try Checkpoint.copy(model.stateDict())
        optimizerState = try optimizer.map { try Checkpoint.copy(try $0.stateDict()) } ?? StateDict()
        randomState = try Runtime.randomState()
    }

    /// Reads and verifies the checkpoint at `url`.
    /// - Throws: `CheckpointError` naming the file when it is missing, truncated, corrupted, not a harlab
    ///   checkpoint, or written by a newer harlab.
    public init(contentsOf url: URL) throws {
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else { throw CheckpointError("no checkpoint at '\(path)'") }
        let dict: StateDict
        do {
            dict = try StateDict(contentsOf: url)
        } catch {
            throw CheckpointError("'\(path)' is not a readable checkpoint (truncated or corrupted?): \(error)")
        }
        guard let meta = dict[Checkpoint.metaName] else {
            throw CheckpointError("'\(path)' holds tensors but no harlab metadata (entry '\(Checkpoint.metaName)'); it is not a harlab checkpoint")
        }
        guard let stored = dict[Checkpoint.checksumName], stored.count == 1, let storedValue = try? stored.item() else {
            throw CheckpointError("checkpoint '\(path)' has no checksum entry '\(Checkpoint.checksumName)'; it is damaged or not from harlab")
        }
        let body = StateDict(dict.entries.filter { $0.name != Checkpoint.checksumName })
        guard UInt32(exactly: storedValue) == (try Checkpoint.checksum(of: body)) else {
            throw CheckpointError("checkpoint '\(path)' is corrupted: its contents do not match the checksum written with them")
        }
        let text = String(decoding: try meta.scalars(as: UInt8.self), as: UTF8.self)
        let format = try? RunJSON.decoder.decode(FormatProbe.self, from: Data(text.utf8)).format
        if let format, format > Checkpoint.format {
            throw CheckpointError("checkpoint '\(path)' has format \(format), written by a newer harlab (this one reads format \(Checkpoint.format))")
        }
        do {
            metadata = try RunJSON.decoder.decode(CheckpointMetadata.self, from: Data(text.utf8))
        } catch {
            throw CheckpointError("checkpoint '\(path)' has unreadable metadata: \(error)")
        }
        let reserved = [Checkpoint.metaName, Checkpoint.randomName, Checkpoint.checksumName]
        weights = StateDict(body.entries.filter { !reserved.contains($0.name) && !$0.name.hasPrefix(Checkpoint.optimizerPrefix) })
        optimizerState = body.withPrefix(Checkpoint.optimizerPrefix)
        randomState = body[Checkpoint.randomName]
    }

    /// Writes the checkpoint atomically: readers see the old file or the new one, never a mix.
    /// - Throws: `CheckpointError` naming the path when it cannot be written; an existing file is left as it was.
    public func write(to url: URL) throws {
        var dict = StateDict()
        for (name, tensor) in weights.entries {
            guard !name.hasPrefix("harlab."), !name.hasPrefix(Checkpoint.optimizerPrefix) else {
                throw CheckpointError("cannot save weight '\(name)': names starting with 'harlab.' or 'optimizer.' are reserved")
            }
            dict.set(name, tensor)
        }
        dict.merge(optimizerState, prefix: Checkpoint.optimizerPrefix)
        if let randomState { dict.set(Checkpoint.randomName, randomState) }
        let json = Array(try RunJSON.encoder.encode(metadata))
        dict.set(Checkpoint.metaName, try Tensor(json, shape: [json.count]))
        dict.set(Checkpoint.checksumName, try Tensor([Int64(try Checkpoint.checksum(of: dict))], shape: []))
        do {
            try dict.write(to: url)
        } catch {
            throw CheckpointError("cannot save checkpoint: \(error)")
        }
    }

    /// The CRC-32 of every entry's name, dtype, shape and bytes, in order.
    static func checksum(of dict: StateDict) throws -> UInt32 {
        var crc = CRC32()
        for (name, tensor) in dict.entries {
            crc.add(name)
            crc.add("\(tensor.dtype) \(tensor.shape)")
            switch tensor.dtype {
            case .float64: crc.add(try tensor.scalars(as: Double.self))
            case .int64: crc.add(try tensor.scalars(as: Int64.self))
            case .int32: crc.add(try tensor.scalars(as: Int32.self))
            case .uint8: crc.add(try tensor.scalars(as: UInt8.self))
            case .bool: crc.add(try tensor.scalars(as: Bool.self))
            case .float32, .bfloat16, .float16: crc.add(try tensor.scalars(as: Float.self))
            }
        }
        return crc.value
    }

    /// Copies of `dict`'s tensors, detached from the live model or optimizer.
    static func copy(_ dict: StateDict) throws -> StateDict {
        StateDict(try dict.entries.map { ($0.name, try $0.tensor.detached().cloned()) })
    }

    /// The one field read before the rest, to refuse files from newer versions with a clear message.
    private struct FormatProbe: Decodable { let format: Int }
}

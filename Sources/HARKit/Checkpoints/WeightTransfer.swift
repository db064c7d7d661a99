import Torch

/// What starting a model from a checkpoint's weights carried over (`Checkpoint.transfer(into:channelNames:classNames:)`):
/// tensors copied as saved, tensors whose channel dimension was rearranged to the new dataset's channels (matched by
/// name), and tensors left as initialised because they map onto classes the checkpoint's dataset did not have (the head).
public struct WeightTransfer: Sendable, Equatable {
    /// Tensors (PyTorch names) copied as saved.
    public var copied: [String] = []
    /// Tensors whose channel dimension was taken from the saved one channel by channel, by name.
    public var remapped: [String] = []
    /// Tensors left as initialised: a new head for other classes.
    public var fresh: [String] = []
    /// For each channel of the new dataset, its position among the checkpoint's channels.
    public var channelMap: [Int] = []

    /// "copied 14 tensors, 2 with their channels matched by name, new head (head.weight, head.bias)".
    public var summary: String {
        var parts = ["copied \(counted(copied.count + remapped.count, "tensor"))"]
        if !remapped.isEmpty { parts.append("\(remapped.count) with their channels matched by name") }
        if !fresh.isEmpty { parts.append("new head (\(fresh.joined(separator: ", ")))") }
        return parts.joined(separator: ", ")
    }
}

extension Checkpoint {
    /// Loads the saved weights into `model` (built from the saved spec for a dataset with `channelNames` and
    /// `classNames`) as a starting point for training on that dataset: tensors tied to the classes start afresh when
    /// the classes differ (name for name, in order), tensors tied to the channels take the saved channel of the same
    /// name (so the dataset may have a subset of the saved channels, in any order), everything else is copied.
    /// Which dimensions are tied to channels or classes is found by building the same spec with one channel, or
    /// one class, more and seeing which sizes change.
    /// - Throws: `CheckpointError` when `model` has another spec, the dataset has channels the checkpoint's model
    ///   never read (naming them), or a saved tensor does not fit (another window length, say); `model` is then
    ///   left as it was.
    public func transfer(into model: any HARModel, channelNames: [String], classNames: [String]) throws -> WeightTransfer {
        let spec = try metadata.modelSpec()
        guard model.spec == spec else {
            throw CheckpointError("the checkpoint holds model \(metadata.modelDescription), not '\(model.spec)'")
        }
        let saved = metadata.dataset
        let missing = channelNames.filter { !saved.channelNames.contains($0) }
        guard missing.isEmpty else {
            throw CheckpointError("the checkpoint's model never read channel\(missing.count == 1 ? "" : "s") "
                                  + missing.joined(separator: ", ") + " (it was trained on the \(saved.channelNames.count) channels of '\(saved.name)'); "
                                  + "use a dataset whose channels are among them")
        }
        var transfer = WeightTransfer()
        transfer.channelMap = channelNames.map { saved.channelNames.firstIndex(of: $0)! }
        let identity = transfer.channelMap == Array(saved.channelNames.indices)
        let input = model.inputShape
        let byChannel = try ModelFactory.make(spec, input: InputShape(time: input.time, channels: input.channels + 1, classes: input.classes)).stateDict()
        let byClass = try ModelFactory.make(spec, input: InputShape(time: input.time, channels: input.channels, classes: input.classes + 1)).stateDict()
        var entries: [(name: String, tensor: Tensor)] = []
        for (name, own) in model.stateDict().entries {
            guard var value = weights[name], let channelProbe = byChannel[name], let classProbe = byClass[name] else {
                throw CheckpointError("the checkpoint has no tensor '\(name)' for model '\(spec)'")
            }
            let shape = own.shape
            if classNames != saved.classNames, classProbe.shape != shape {
                transfer.fresh.append(name)
                entries.append((name, own))
                continue
            }
            let channelDims = shape.indices.filter { channelProbe.shape[$0] != shape[$0] }
            if !identity || value.shape != shape {
                for axis in channelDims {
                    value = try Checkpoint.matchingChannels(of: value, axis: axis, name: name, perChannel: channelProbe.shape[axis] - shape[axis],
                                                            map: transfer.channelMap, savedChannels: saved.channelNames.count)
                }
            }
            guard value.shape == shape else {
                throw CheckpointError("the checkpoint's '\(name)' is \(value.shape), model '\(spec)' for \(input) needs \(shape) "
                                      + "(the checkpoint's windows are \(saved.windowLength) samples long)")
            }
            if channelDims.isEmpty || identity { transfer.copied.append(name) } else { transfer.remapped.append(name) }
            entries.append((name, try value.converted(to: own.dtype)))
        }
        do {
            try model.loadState(StateDict(entries))
        } catch {
            throw CheckpointError("the checkpoint's weights do not fit model '\(spec)': \(error)")
        }
        return transfer
    }

    /// `value` with its `axis` (blocks of `perChannel` × the saved channels, channel fastest) cut down to the channels
    /// `map` names, in that order.
    private static func matchingChannels(of value: Tensor, axis: Int, name: String, perChannel: Int, map: [Int], savedChannels: Int) throws -> Tensor {
        guard perChannel >= 1, value.shape[axis] == perChannel * savedChannels else {
            throw CheckpointError("cannot match the channels of the checkpoint's '\(name)' (\(value.shape)) by name")
        }
        let indices = (0..<perChannel).flatMap { block in map.map { Int64(block * savedChannels + $0) } }
        return try value.indexSelected(axis: axis, indices: try Tensor(indices, shape: [indices.count]))
    }
}

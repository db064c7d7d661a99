import Torch

extension Checkpoint {
    /// A new model of the saved spec and shape holding the saved weights (for evaluation or prediction).
    /// - Throws: `CheckpointError` when this harlab cannot build the model or the weights do not fit it.
    public func makeModel() throws -> any HARModel {
        let model: any HARModel
        do {
            model = try ModelFactory.make(try metadata.modelSpec(), input: metadata.input)
        } catch {
            throw CheckpointError("cannot rebuild the checkpoint's model \(metadata.modelDescription): \(error)")
        }
        try restore(into: model, optimizer: nil)
        return model
    }

    /// Loads the saved weights into `model` and, when given, the saved state into `optimizer`.
    /// - Throws: `CheckpointError` when `model` has another spec or input shape than the saved one, or the
    ///   state does not fit; `model` and `optimizer` are then left as they were.
    public func restore(into model: any HARModel, optimizer: (any Optimizer)?) throws {
        guard model.spec == (try? metadata.modelSpec()), model.inputShape == metadata.input else {
            throw CheckpointError("the checkpoint holds model \(metadata.modelDescription) (dataset '\(metadata.dataset.name)'), "
                                  + "but the current model is '\(model.spec)' for \(model.inputShape)")
        }
        let before = try Checkpoint.copy(model.stateDict())
        do {
            try model.loadState(weights)
        } catch {
            throw CheckpointError("the checkpoint's weights do not fit model '\(model.spec)': \(error)")
        }
        guard let optimizer else { return }
        do {
            try optimizer.loadState(optimizerState)
        } catch {
            try model.loadState(before)
            throw CheckpointError("the checkpoint's optimizer state does not fit the current optimizer: \(error)")
        }
    }

    /// Restores libtorch's random generator to its state when the checkpoint was saved.
    /// - Throws: `CheckpointError` when the checkpoint has no random state or it is not a generator state.
    public func restoreRandomState() throws {
        guard let randomState else { throw CheckpointError("the checkpoint has no random generator state") }
        do {
            try Runtime.setRandomState(randomState)
        } catch {
            throw CheckpointError("the checkpoint's random generator state cannot be restored: \(error)")
        }
    }

    /// Checks that windows with these channels, length and classes can be fed to the saved model and its
    /// outputs read as these classes.
    /// - Throws: `CheckpointError` naming the first difference.
    public func checkCompatible(with dataset: CheckpointDataset) throws {
        let saved = metadata.dataset
        if dataset.channelNames != saved.channelNames {
            let missing = saved.channelNames.filter { !dataset.channelNames.contains($0) }
            let detail = !missing.isEmpty ? "lacking \(missing.prefix(5).joined(separator: ", "))\(missing.count > 5 ? ", …" : "")"
                : dataset.channelNames.count != saved.channelNames.count ? "(more than the model reads)" : "in another order"
            throw CheckpointError("dataset '\(dataset.name)' has \(dataset.channelNames.count) channels \(detail); the checkpoint's model reads the \(saved.channelNames.count) channels of '\(saved.name)'")
        }
        if dataset.windowLength != saved.windowLength {
            throw CheckpointError("dataset '\(dataset.name)' has windows of \(dataset.windowLength) steps; the checkpoint's model was trained on \(saved.windowLength)")
        }
        if dataset.classNames != saved.classNames {
            throw CheckpointError("dataset '\(dataset.name)' has classes \(dataset.classNames.joined(separator: ", ")); the checkpoint's model predicts \(saved.classNames.joined(separator: ", "))")
        }
    }
}

import Torch

/// Copies of a model's weights and its optimizer's state, to return to after a diverged epoch.
struct TrainingSnapshot {
    let weights: StateDict
    let optimizerState: StateDict

    init(model: any HARModel, optimizer: any Optimizer) throws {
        weights = try model.stateDict().cloned()
        optimizerState = try optimizer.stateDict().cloned()
    }

    func restore(model: any HARModel, optimizer: any Optimizer) throws {
        try model.loadState(weights)
        try optimizer.loadState(optimizerState)
    }
}

extension StateDict {
    /// A deep copy: every tensor cloned and detached.
    func cloned() throws -> StateDict { StateDict(try entries.map { ($0.name, try $0.tensor.detached().cloned()) }) }
}

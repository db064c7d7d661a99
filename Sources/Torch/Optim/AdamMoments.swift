import Foundation

/// The per-parameter state Adam and AdamW share: step counts and the running first and second moments.
final class AdamMoments {
    private var moments: [(exp: Tensor, expSquared: Tensor)?]
    private var steps: [Int]

    /// Empty state for `count` parameters.
    init(count: Int) {
        moments = Array(repeating: nil, count: count)
        steps = Array(repeating: 0, count: count)
    }

    /// One Adam update of `p` from `gradient` (PyTorch's `_single_tensor_adam`, without AMSGrad). Call under `withNoGrad`.
    func update(_ p: Tensor, index: Int, gradient g: Tensor, learningRate: Double, betas: (Double, Double), eps: Double) throws {
        let state = try moments[index] ?? (try Tensor.zeros(p.shape, dtype: p.dtype).moved(to: p.device),
                                           try Tensor.zeros(p.shape, dtype: p.dtype).moved(to: p.device))
        moments[index] = state
        steps[index] += 1
        let t = Double(steps[index])
        try state.exp.multiply(by: betas.0)
        try state.exp.add(g, alpha: 1 - betas.0)
        try state.expSquared.multiply(by: betas.1)
        try state.expSquared.addProduct(g, g, value: 1 - betas.1)
        let correction1 = 1 - pow(betas.0, t)
        let correction2 = 1 - pow(betas.1, t)
        let denominator = try (try state.expSquared.sqrt() / correction2.squareRoot()) + eps
        try p.addQuotient(state.exp, denominator, value: -learningRate / correction1)
    }

    /// Adds `state.I.step`, `state.I.exp_avg` and `state.I.exp_avg_sq` for every parameter updated so far.
    func save(into dict: inout StateDict) throws {
        for (index, moment) in moments.enumerated() {
            guard let moment else { continue }
            dict.set("state.\(index).step", try Tensor(scalar: Double(steps[index])))
            dict.set("state.\(index).exp_avg", moment.exp)
            dict.set("state.\(index).exp_avg_sq", moment.expSquared)
        }
    }

    /// Restores moments saved by `save(into:)`; checks every shape before changing anything.
    func load(_ state: StateDict, parameters: [Tensor]) throws {
        var newMoments = moments, newSteps = steps
        for (index, p) in parameters.enumerated() {
            guard let exp = state["state.\(index).exp_avg"], let expSquared = state["state.\(index).exp_avg_sq"],
                  let step = state["state.\(index).step"] else { continue }
            guard exp.shape == p.shape, expSquared.shape == p.shape else {
                throw TorchError("optimizer state for parameter \(index) has shape \(exp.shape), the parameter \(p.shape)")
            }
            newMoments[index] = (try exp.converted(to: p.dtype).moved(to: p.device).cloned(),
                                 try expSquared.converted(to: p.dtype).moved(to: p.device).cloned())
            newSteps[index] = Int(try step.item())
        }
        (moments, steps) = (newMoments, newSteps)
    }

    /// The moments plus the group settings, as `stateDict()` of Adam and AdamW returns them.
    func stateDict(learningRate: Double, weightDecay: Double) throws -> StateDict {
        var dict = StateDict()
        try save(into: &dict)
        dict.set("param_groups.0.lr", try Tensor(scalar: learningRate, dtype: .float64))
        dict.set("param_groups.0.weight_decay", try Tensor(scalar: weightDecay, dtype: .float64))
        return dict
    }

    /// Restores moments and, when saved, the group settings.
    func loadState(_ state: StateDict, parameters: [Tensor], learningRate: inout Double, weightDecay: inout Double) throws {
        try load(state, parameters: parameters)
        if let lr = state["param_groups.0.lr"] { learningRate = try lr.item() }
        if let wd = state["param_groups.0.weight_decay"] { weightDecay = try wd.item() }
    }
}

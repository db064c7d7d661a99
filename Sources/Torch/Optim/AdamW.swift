import Foundation

/// Adam with decoupled weight decay (Loshchilov & Hutter), as PyTorch's `torch.optim.AdamW`.
public final class AdamW: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Double
    /// Decoupled weight decay factor.
    public var weightDecay: Double
    public var betas: (Double, Double)
    public var eps: Double
    private var moments: [(exp: Tensor, expSquared: Tensor)?]
    private var steps: [Int]

    /// An optimizer over `parameters` with PyTorch's defaults unless given.
    public init(_ parameters: [Tensor], learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
                weightDecay: Double = 1e-2) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.betas = betas
        self.eps = eps
        self.weightDecay = weightDecay
        moments = Array(repeating: nil, count: parameters.count)
        steps = Array(repeating: 0, count: parameters.count)
    }

    public func step() throws {
        try withNoGrad {
            for (index, p) in parameters.enumerated() {
                guard let g = p.grad else { continue }
                let state = try moments[index] ?? (try Tensor.zeros(p.shape, dtype: p.dtype), try Tensor.zeros(p.shape, dtype: p.dtype))
                moments[index] = state
                steps[index] += 1
                let t = Double(steps[index])
                if weightDecay != 0 { try p.multiply(by: 1 - learningRate * weightDecay) }
                try state.exp.multiply(by: betas.0)
                try state.exp.add(g, alpha: 1 - betas.0)
                try state.expSquared.multiply(by: betas.1)
                try state.expSquared.addProduct(g, g, value: 1 - betas.1)
                let correction1 = 1 - pow(betas.0, t)
                let correction2 = 1 - pow(betas.1, t)
                let denominator = try (try state.expSquared.sqrt() / correction2.squareRoot()) + eps
                try p.addQuotient(state.exp, denominator, value: -learningRate / correction1)
            }
        }
    }

    public func stateDict() throws -> StateDict {
        var dict = StateDict()
        for (index, moment) in moments.enumerated() {
            guard let moment else { continue }
            dict.set("state.\(index).step", try Tensor(scalar: Double(steps[index])))
            dict.set("state.\(index).exp_avg", moment.exp)
            dict.set("state.\(index).exp_avg_sq", moment.expSquared)
        }
        dict.set("param_groups.0.lr", try Tensor(scalar: learningRate, dtype: .float64))
        dict.set("param_groups.0.weight_decay", try Tensor(scalar: weightDecay, dtype: .float64))
        return dict
    }

    public func loadState(_ state: StateDict) throws {
        var newMoments = moments, newSteps = steps
        for index in parameters.indices {
            guard let exp = state["state.\(index).exp_avg"], let expSquared = state["state.\(index).exp_avg_sq"],
                  let step = state["state.\(index).step"] else { continue }
            guard exp.shape == parameters[index].shape, expSquared.shape == parameters[index].shape else {
                throw TorchError("optimizer state for parameter \(index) has shape \(exp.shape), the parameter \(parameters[index].shape)")
            }
            newMoments[index] = (try exp.cloned(), try expSquared.cloned())
            newSteps[index] = Int(try step.item())
        }
        if let lr = state["param_groups.0.lr"] { learningRate = try lr.item() }
        if let wd = state["param_groups.0.weight_decay"] { weightDecay = try wd.item() }
        (moments, steps) = (newMoments, newSteps)
    }
}

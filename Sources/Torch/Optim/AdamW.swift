/// Adam with decoupled weight decay (Loshchilov & Hutter), as PyTorch's `torch.optim.AdamW`.
public final class AdamW: Optimizer {
    /// The parameters being optimised, in a fixed order.
    public let parameters: [Tensor]
    /// The current learning rate; change it between steps.
    public var learningRate: Double
    /// Decoupled weight decay factor: each step multiplies parameters by `1 - learningRate × weightDecay`.
    public var weightDecay: Double
    /// Decay rates of the first and second moment estimates.
    public var betas: (Double, Double)
    /// Added to the denominator for stability.
    public var eps: Double
    private let moments: AdamMoments

    /// An optimizer over `parameters` with PyTorch's defaults unless given.
    public init(_ parameters: [Tensor], learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
                weightDecay: Double = 1e-2) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.betas = betas
        self.eps = eps
        self.weightDecay = weightDecay
        moments = AdamMoments(count: parameters.count)
    }

    /// One update from the current gradients (parameters without a gradient are skipped).
    public func step() throws {
        try withNoGrad {
            for (index, p) in parameters.enumerated() {
                guard let g = p.grad else { continue }
                if weightDecay != 0 { try p.multiply(by: 1 - learningRate * weightDecay) }
                try moments.update(p, index: index, gradient: g, learningRate: learningRate, betas: betas, eps: eps)
            }
        }
    }

    /// The state (`state.I.NAME` per parameter and `param_groups.0.KEY`) to save with a checkpoint.
    public func stateDict() throws -> StateDict { try moments.stateDict(learningRate: learningRate, weightDecay: weightDecay) }

    /// Restores `stateDict()`'s values; checks shapes before changing anything.
    public func loadState(_ state: StateDict) throws {
        try moments.loadState(state, parameters: parameters, learningRate: &learningRate, weightDecay: &weightDecay)
    }
}

/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight decay,
/// as PyTorch's `torch.optim.SGD`.
public final class SGD: Optimizer {
    /// The parameters being optimised, in a fixed order.
    public let parameters: [Tensor]
    /// The current learning rate; change it between steps.
    public var learningRate: Double
    /// Momentum factor (0: plain SGD).
    public var momentum: Double
    /// Dampening of the gradient's contribution to the momentum buffer.
    public var dampening: Double
    /// L2 penalty factor: `weightDecay × p` is added to each gradient.
    public var weightDecay: Double
    /// Whether to use Nesterov momentum.
    public let nesterov: Bool
    private var buffers: [Tensor?]

    /// An optimizer over `parameters`.
    /// - Throws: `TorchError` when Nesterov momentum is asked for without momentum or with dampening (as PyTorch).
    public init(_ parameters: [Tensor], learningRate: Double, momentum: Double = 0, dampening: Double = 0,
                weightDecay: Double = 0, nesterov: Bool = false) throws {
        guard !nesterov || (momentum > 0 && dampening == 0) else {
            throw TorchError("SGD: Nesterov momentum needs a positive momentum and zero dampening (momentum \(momentum), dampening \(dampening))")
        }
        guard learningRate >= 0, momentum >= 0, weightDecay >= 0 else {
            throw TorchError("SGD: learning rate \(learningRate), momentum \(momentum) and weight decay \(weightDecay) must not be negative")
        }
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        buffers = Array(repeating: nil, count: parameters.count)
    }

    /// One update from the current gradients (parameters without a gradient are skipped).
    public func step() throws {
        try withNoGrad {
            for (index, p) in parameters.enumerated() {
                guard var direction = p.grad else { continue }
                if weightDecay != 0 { direction = try direction + p * weightDecay }
                if momentum != 0 {
                    let buffer: Tensor
                    if let existing = buffers[index] {
                        buffer = existing
                        try buffer.multiply(by: momentum)
                        try buffer.add(direction, alpha: 1 - dampening)
                    } else {
                        buffer = try direction.detached().cloned()
                        buffers[index] = buffer
                    }
                    direction = nesterov ? try direction + buffer * momentum : buffer
                }
                try p.add(direction, alpha: -learningRate)
            }
        }
    }

    /// The state (`state.I.NAME` per parameter and `param_groups.0.KEY`) to save with a checkpoint.
    public func stateDict() throws -> StateDict {
        var dict = StateDict()
        for (index, buffer) in buffers.enumerated() {
            if let buffer { dict.set("state.\(index).momentum_buffer", buffer) }
        }
        dict.set("param_groups.0.lr", try Tensor(scalar: learningRate, dtype: .float64))
        dict.set("param_groups.0.momentum", try Tensor(scalar: momentum, dtype: .float64))
        dict.set("param_groups.0.dampening", try Tensor(scalar: dampening, dtype: .float64))
        dict.set("param_groups.0.weight_decay", try Tensor(scalar: weightDecay, dtype: .float64))
        return dict
    }

    /// Restores `stateDict()`'s values; checks shapes before changing anything.
    public func loadState(_ state: StateDict) throws {
        var newBuffers = buffers
        for (index, p) in parameters.enumerated() {
            guard let buffer = state["state.\(index).momentum_buffer"] else { continue }
            guard buffer.shape == p.shape else {
                throw TorchError("optimizer state for parameter \(index) has shape \(buffer.shape), the parameter \(p.shape)")
            }
            newBuffers[index] = try buffer.converted(to: p.dtype).moved(to: p.device).cloned()
        }
        buffers = newBuffers
        if let lr = state["param_groups.0.lr"] { learningRate = try lr.item() }
        if let value = state["param_groups.0.momentum"] { momentum = try value.item() }
        if let value = state["param_groups.0.dampening"] { dampening = try value.item() }
        if let value = state["param_groups.0.weight_decay"] { weightDecay = try value.item() }
    }
}

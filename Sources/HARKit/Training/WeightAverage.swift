import Torch

/// An exponential moving average of a model's weights (and of its floating-point buffers, such as batch-norm running
/// statistics): after the n-th optimizer step (n = 0, 1, …), average ← d·average + (1 − d)·weights with
/// d = min(decay, (1 + n)/(10 + n)), starting from the weights it was made from. The warm-up of d (TensorFlow's
/// `ExponentialMovingAverage` with `num_updates`) keeps the starting (random) weights from lingering in the average of
/// a short run: with a fixed 0.99 they would still weigh 0.99¹⁴⁶ ≈ 23% after two DSADS epochs. Integer buffers
/// (batch-norm's step count) follow the model.
struct WeightAverage {
    /// The most weight the previous average keeps at a step.
    let decay: Double
    /// The averaged state, entry by entry as the model's `stateDict()` lists it.
    private(set) var average: StateDict
    /// The steps folded in so far.
    private(set) var updates = 0

    /// The weight the previous average keeps at step `n` (0-based).
    static func decay(_ decay: Double, atUpdate n: Int) -> Double { min(decay, Double(1 + n) / Double(10 + n)) }

    /// An average starting at `model`'s current weights.
    init(of model: any HARModel, decay: Double) throws {
        self.decay = decay
        average = try model.stateDict().cloned()
    }

    /// Folds `model`'s current weights into the average.
    mutating func update(from model: any HARModel) throws {
        let live = model.stateDict().entries
        guard live.count == average.entries.count else {
            throw ModelError("the weight average holds \(average.entries.count) entries, the model \(live.count)")
        }
        let d = WeightAverage.decay(decay, atUpdate: updates)
        average = StateDict(try zip(average.entries, live).map { averaged, current -> (name: String, tensor: Tensor) in
            let weights = try current.tensor.detached()
            guard weights.dtype.isFloatingPoint else { return (current.name, try weights.cloned()) }
            return (current.name, try averaged.tensor * d + weights * (1 - d))
        })
        updates += 1
    }
}

extension Trainer {
    /// Makes `weightAverage` match `config.averagingDecay` before an epoch: kept when its decay is the one asked for,
    /// started afresh from the current weights when there is none or the decay changed, dropped when averaging is off.
    func prepareWeightAverage() throws {
        guard let decay = config.averagingDecay else { weightAverage = nil; return }
        if weightAverage?.decay != decay { weightAverage = try WeightAverage(of: model, decay: decay) }
    }

    /// Puts the averaged weights into the model, when averaging is on; returns whether it did.
    func useAveragedWeights() throws -> Bool {
        guard config.averagingDecay != nil, let average = weightAverage?.average else { return false }
        try model.loadState(average)
        return true
    }
}

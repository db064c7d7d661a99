/// Batch normalisation over the channel dimension (1) of `[B, C]`, `[B, C, L]` or `[B, C, H, W]`
/// (PyTorch's `BatchNorm1d` and `BatchNorm2d` share this kernel).
public final class BatchNorm: Module {
    /// Scale `[C]`, initialised to 1.
    public let weight: Tensor
    /// Shift `[C]`, initialised to 0.
    public let bias: Tensor
    /// Running mean `[C]`.
    public let runningMean: Tensor
    /// Running variance `[C]`.
    public let runningVar: Tensor
    /// Training batches seen (PyTorch keeps this counter in its state dict).
    public let batchesTracked: Tensor
    /// The weight of each new batch in the running statistics.
    public let momentum: Double
    /// Added to the variance for stability.
    public let eps: Double
    /// Whether the layer behaves as in training (see `Module.isTraining`).
    public var isTraining = true
    /// The ranks whose global batch's statistics the layer normalises with when training (synchronised batch norm,
    /// `Functional.syncBatchNorm`); nil: this process's batch only.
    public var synchronization: ProcessGroup?

    /// A layer for `features` channels.
    public init(_ features: Int, momentum: Double = 0.1, eps: Double = 1e-5) throws {
        weight = try parameter(try Tensor.ones([features]))
        bias = try parameter(try Tensor.zeros([features]))
        runningMean = try Tensor.zeros([features])
        runningVar = try Tensor.ones([features])
        batchesTracked = try Tensor.zeros([], dtype: .int64)
        self.momentum = momentum
        self.eps = eps
    }

    /// This layer's trainable tensors by PyTorch's local names.
    public var ownParameters: [(name: String, tensor: Tensor)] { [("weight", weight), ("bias", bias)] }
    /// This layer's running statistics by PyTorch's local names.
    public var ownBuffers: [(name: String, tensor: Tensor)] {
        [("running_mean", runningMean), ("running_var", runningVar), ("num_batches_tracked", batchesTracked)]
    }

    /// The forward pass.
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try countTrainingBatch()
        if isTraining, let group = synchronization {
            return try Functional.syncBatchNorm(x, weight: weight, bias: bias, runningMean: runningMean, runningVar: runningVar,
                                                momentum: momentum, eps: eps, group: group)
        }
        return try Functional.batchNorm(x, weight: weight, bias: bias, runningMean: runningMean, runningVar: runningVar,
                                        training: isTraining, momentum: momentum, eps: eps)
    }
}

extension BatchNorm {
    /// Counts one batch in `batchesTracked` when training (PyTorch's `num_batches_tracked += 1`), for a fused kernel
    /// that normalises in this layer's place.
    public func countTrainingBatch() throws {
        if isTraining { try withNoGrad { try batchesTracked.add(try Tensor.ones([], dtype: .int64)) } }
    }
}

/// PyTorch's name for batch normalisation over `[B, C]` or `[B, C, L]`.
public typealias BatchNorm1d = BatchNorm
/// PyTorch's name for batch normalisation over `[B, C, H, W]`.
public typealias BatchNorm2d = BatchNorm

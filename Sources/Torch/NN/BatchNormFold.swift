import CTorch

/// A convolution and the batch norm after it as one convolution, for inference: in evaluation mode batch norm is a
/// per-channel affine map (scale s = γ/√(running var + ε), shift β − mean·s), so conv-then-norm equals a convolution
/// with weights W·s and bias (b − mean)·s + β. The folded tensors are computed once (in float64, stored in the
/// weight's dtype) and reused until any of the six source tensors changes: each call compares their libtorch
/// version counters and data addresses with the ones the fold was made from, so an optimizer step, a
/// running-statistics update in training mode (seen through the layer's batch counter, since libtorch's kernel
/// updates the statistics without bumping their versions), `loadState`, an EMA swap or a dtype change all refold.
public final class BatchNormFold {
    /// The convolution whose weights are scaled.
    public let conv: Conv2d
    /// The batch norm folded into it.
    public let norm: BatchNorm
    /// Whether `forward` folds at all where it may (`Module.setBatchNormFolding`; off, it always runs the layers,
    /// for comparisons such as `har-bench --latency-rounds --no-fold`).
    public var isEnabled = true
    private var cached: (key: [Int64], weight: Tensor, bias: Tensor)?

    /// The fold of `norm` into `conv` (computed on first use).
    public init(conv: Conv2d, norm: BatchNorm) {
        (self.conv, self.norm) = (conv, norm)
    }

    /// Whether `forward` may take the folded form now: both layers in evaluation mode, autograd not recording on
    /// this thread (`withNoGrad`, `withInferenceMode`) and CPU autocast off. Elsewhere the layers run one by one.
    public var applies: Bool {
        !conv.isTraining && !norm.isTraining && !isGradEnabled && !Autocast.isEnabled()
    }

    /// `norm(conv(x))`: folded where enabled, where `applies` says so and where the weights are ordinary tensors;
    /// else layer by layer.
    public func forward(_ x: Tensor) throws -> Tensor {
        guard isEnabled, applies, let (weight, bias) = try folded() else { return try norm(try conv(x)) }
        return try Functional.conv2d(x, weight: weight, bias: bias, stride: conv.stride, padding: conv.padding,
                                     dilation: conv.dilation, groups: conv.groups)
    }

    /// The folded weight and bias, refolded when a source tensor changed since the last fold; nil when a source is
    /// an inference tensor (made inside `withInferenceMode`, without a version counter to watch).
    public func folded() throws -> (weight: Tensor, bias: Tensor)? {
        let key = try versionKey()
        guard !key.isEmpty else { return nil }
        if let cached, cached.key == key { return (cached.weight, cached.bias) }
        var weight: ct_tensor?, bias: ct_tensor?
        try checked(ct_nn_fold_batch_norm(conv.weight.handle, conv.bias?.handle, norm.weight.handle, norm.bias.handle,
                                          norm.runningMean.handle, norm.runningVar.handle, norm.eps, &weight, &bias))
        let result = (key: key, weight: try checked(weight), bias: try checked(bias))
        cached = result
        return (result.weight, result.bias)
    }

    /// Whether a fold is cached (for tests: a refold after a change must replace it).
    public var hasCachedFold: Bool { cached != nil }

    /// Version counter and data address of every source tensor, in a fixed order (plus the dtype code, which a
    /// conversion changes); empty when one of them has no version counter.
    private func versionKey() throws -> [Int64] {
        // libtorch's batch-norm kernel writes the running statistics through raw pointers, without bumping their
        // version counters; the layer's batch counter is bumped in place on every training-mode call, so it stands in.
        let sources = [conv.weight] + (conv.bias.map { [$0] } ?? [])
            + [norm.weight, norm.bias, norm.runningMean, norm.runningVar, norm.batchesTracked]
        var versions = [Int64](repeating: 0, count: sources.count), addresses = versions
        let handles: [ct_tensor?] = sources.map { $0.handle }
        try withExtendedLifetime(sources) {
            _ = try checked(ct_tensor_versions(handles, Int32(handles.count), &versions, &addresses))
        }
        guard !versions.contains(-1) else { return [] }
        return versions + addresses + [Int64(conv.weight.dtype.rawValue)]
    }
}

/// A module that holds convolution + batch norm pairs it runs through `BatchNormFold`.
public protocol BatchNormFolding: Module {
    /// The module's own folds (not its children's).
    var batchNormFolds: [BatchNormFold] { get }
}

extension Module {
    /// Turns batch-norm folding on or off in every `BatchNormFolding` module of this tree (on by default; both
    /// compute the same maths up to float rounding).
    public func setBatchNormFolding(_ on: Bool) {
        if let folding = self as? any BatchNormFolding {
            for fold in folding.batchNormFolds { fold.isEnabled = on }
        }
        for child in children { child.module.setBatchNormFolding(on) }
    }
}

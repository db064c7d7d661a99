import Torch

extension ConvStem {
    /// Spatial attention, batch norm and ReLU of one stage in one fused autograd node (see
    /// `Functional.spatialAttentionBlock`); keeps the attention's map and the batch norm's batch count as the
    /// layer-by-layer path does.
    func fusedSpatialStage(_ x: Tensor, attention: SpatialAttention, norm: BatchNorm) throws -> Tensor {
        guard let gateBias = attention.gate.bias else { throw ModelError("spatial attention's gate convolution has no bias") }
        try norm.countTrainingBatch()
        let (output, gate) = try Functional.spatialAttentionBlock(
            x, gateWeight: attention.gate.weight, gateBias: gateBias, normWeight: norm.weight, normBias: norm.bias,
            runningMean: norm.runningMean, runningVar: norm.runningVar, training: norm.isTraining,
            momentum: norm.momentum, eps: norm.eps)
        attention.lastMap = try gate.squeezed(axis: 1)
        return output
    }

    /// The choice with `fusesSpatialAttention` nil, given the instruction set the fused kernels run with: bfloat16
    /// activations fuse, float32 ones where the kernels are vectorised (AVX2 or AVX-512: faster on every benchmark
    /// shape, docs/PERFORMANCE.md; the `default` (SSE) copy measured 0.89× the layers in float32), float64, the precision
    /// of the equivalence proofs, goes layer by layer.
    static func fusesByDefault(_ dtype: DType, isa: CPUCapability = FusedKernels.current) -> Bool {
        dtype == .bfloat16 || (dtype == .float32 && isa != .default)
    }

    /// Whether the fused kernel takes `x`: CPU tensors of float32, float64 or bfloat16 (the others go layer by layer).
    static func fuses(_ x: Tensor) -> Bool {
        x.device == .cpu && [DType.float32, .float64, .bfloat16].contains(x.dtype)
    }
}

extension Module {
    /// Turns the fused spatial-attention stages of every `ConvStem` in this module's tree on or off, or back to the
    /// default choice by dtype with nil (`ConvStem.fusesSpatialAttention`; `har-bench --fused`, `--unfused` and
    /// `--fusion-pairs` compare the two; both compute the same maths).
    public func setFusedSpatialAttention(_ on: Bool?) {
        if let stem = self as? ConvStem { stem.fusesSpatialAttention = on }
        for child in children { child.module.setFusedSpatialAttention(on) }
    }
}

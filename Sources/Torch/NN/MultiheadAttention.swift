import Foundation

/// Multi-head scaled dot-product attention with batch-first inputs `[B, L, E]` (PyTorch's `nn.MultiheadAttention`
/// with `batch_first=True`): parameters `in_proj_weight`, `in_proj_bias`, `out_proj.weight`, `out_proj.bias`.
public final class MultiheadAttention: Module {
    /// The query, key and value projections stacked: `[3E, E]`.
    public let inProjWeight: Tensor
    /// Their biases `[3E]`, or nil.
    public let inProjBias: Tensor?
    /// The output projection `E → E`.
    public let outProj: Linear
    /// The model width E.
    public let embedDim: Int
    /// The number of heads; each sees `E / heads` features.
    public let heads: Int
    /// Dropout on the attention weights in training mode.
    public let dropout: Double
    /// Whether the layer behaves as in training (see `Module.isTraining`).
    public var isTraining = true

    /// A layer initialised as PyTorch's: `in_proj_weight` Xavier-uniform, biases 0, `out_proj.weight` U(-1/√E, 1/√E).
    /// - Throws: `TorchError` when `embedDim` is not divisible by `heads`.
    public init(embedDim: Int, heads: Int, dropout: Double = 0, bias: Bool = true) throws {
        guard embedDim > 0, heads > 0, embedDim % heads == 0 else {
            throw TorchError("MultiheadAttention: embedding size \(embedDim) is not divisible by \(heads) heads")
        }
        guard (0...1).contains(dropout) else { throw TorchError("MultiheadAttention: dropout must be in [0, 1], got \(dropout)") }
        let bound = (6 / Double(embedDim + 3 * embedDim)).squareRoot()
        let weight = try Tensor.zeros([3 * embedDim, embedDim])
        try weight.uniformFill(-bound, bound)
        inProjWeight = try parameter(weight)
        inProjBias = bias ? try parameter(try Tensor.zeros([3 * embedDim])) : nil
        outProj = try Linear(embedDim, embedDim, bias: bias)
        if let outBias = outProj.bias { try withNoGrad { try outBias.zero() } }
        (self.embedDim, self.heads, self.dropout) = (embedDim, heads, dropout)
    }

    /// This layer's trainable tensors by PyTorch's local names.
    public var ownParameters: [(name: String, tensor: Tensor)] {
        [("in_proj_weight", inProjWeight)] + (inProjBias.map { [("in_proj_bias", $0)] } ?? [])
    }

    /// Sub-modules by PyTorch's local names.
    public var children: [(name: String, module: any Module)] { [("out_proj", outProj)] }

    /// Attends from `query` `[B, L, E]` over `key`/`value` `[B, S, E]`.
    /// - Parameters:
    ///   - attentionMask: `[L, S]` (or broadcastable to `[B, heads, L, S]`): added to the scores when floating point,
    ///     or `true` where attention is not allowed when bool.
    ///   - keyPaddingMask: bool `[B, S]`, `true` at padded keys to ignore.
    /// - Returns: the output `[B, L, E]` and the per-head attention weights `[B, heads, L, S]` (detached, before dropout).
    public func forward(query: Tensor, key: Tensor, value: Tensor, attentionMask: Tensor? = nil,
                        keyPaddingMask: Tensor? = nil) throws -> (output: Tensor, weights: Tensor) {
        guard query.rank == 3, key.rank == 3, value.rank == 3, query.shape[2] == embedDim, key.shape[2] == embedDim,
              value.shape[2] == embedDim, key.shape[0] == query.shape[0], value.shape[0] == query.shape[0], key.shape[1] == value.shape[1]
        else {
            throw TorchError("MultiheadAttention: expected query [B, L, \(embedDim)] and key/value [B, S, \(embedDim)], " +
                             "got \(query.shape), \(key.shape), \(value.shape)")
        }
        let q: Tensor, k: Tensor, v: Tensor
        if query === key && key === value {  // self-attention: one projection for all three
            let qkv = try Functional.linear(query, weight: inProjWeight, bias: inProjBias)
            q = try splitHeads(try qkv.narrowed(axis: 2, start: 0, length: embedDim))
            k = try splitHeads(try qkv.narrowed(axis: 2, start: embedDim, length: embedDim))
            v = try splitHeads(try qkv.narrowed(axis: 2, start: 2 * embedDim, length: embedDim))
        } else {
            q = try splitHeads(try project(query, part: 0))
            k = try splitHeads(try project(key, part: 1))
            v = try splitHeads(try project(value, part: 2))
        }
        let mask = try combinedMask(attentionMask, keyPaddingMask, batch: query.shape[0], keys: key.shape[1])
        let attended = try Functional.attention(query: q, key: k, value: v, mask: mask, dropout: dropout, training: isTraining)
        let merged = try attended.output.permuted(0, 2, 1, 3).reshaped(to: [query.shape[0], query.shape[1], embedDim])
        return (try outProj(merged), attended.weights)
    }

    /// Self-attention output `[B, L, E]` of `x` `[B, L, E]`.
    public func callAsFunction(_ x: Tensor) throws -> Tensor { try forward(query: x, key: x, value: x).output }

    /// `x Wᵢᵀ + bᵢ` for the query (0), key (1) or value (2) rows of the stacked projection.
    private func project(_ x: Tensor, part: Int) throws -> Tensor {
        let w = try inProjWeight.narrowed(axis: 0, start: part * embedDim, length: embedDim)
        let b = try inProjBias?.narrowed(axis: 0, start: part * embedDim, length: embedDim)
        return try Functional.linear(x, weight: w, bias: b)
    }

    /// `[B, L, E]` → `[B, heads, L, E/heads]`.
    private func splitHeads(_ x: Tensor) throws -> Tensor {
        try x.reshaped(to: [x.shape[0], x.shape[1], heads, embedDim / heads]).permuted(0, 2, 1, 3)
    }

    /// One additive mask from an attention mask and a key padding mask (nil when neither is given).
    private func combinedMask(_ attentionMask: Tensor?, _ keyPaddingMask: Tensor?, batch: Int, keys: Int) throws -> Tensor? {
        var mask = try attentionMask.map { try additive($0) }
        if let padding = keyPaddingMask {
            guard padding.shape == [batch, keys], padding.dtype == .bool else {
                throw TorchError("MultiheadAttention: key padding mask must be bool [\(batch), \(keys)], got \(padding.dtype) \(padding.shape)")
            }
            let paddingMask = try additive(padding).reshaped(to: [batch, 1, 1, keys])
            mask = try mask.map { try $0 + paddingMask } ?? paddingMask
        }
        return mask
    }

    /// A bool mask (true = blocked) as 0 / -∞ scores; floating masks unchanged.
    private func additive(_ mask: Tensor) throws -> Tensor {
        guard mask.dtype == .bool else { return mask }
        let blocked = try Tensor.full(mask.shape, value: -Double.infinity)
        return try mask.select(blocked, else: try Tensor.zeros(mask.shape))
    }
}

/// Scales the gradients of `parameters` in place so that their joint L2 norm is at most `maxNorm`
/// (PyTorch's `clip_grad_norm_`); parameters without a gradient are skipped.
/// - Returns: the total norm before clipping.
@discardableResult
public func clipGradNorm(_ parameters: [Tensor], maxNorm: Double) throws -> Double {
    let gradients = parameters.compactMap(\.grad)
    guard !gradients.isEmpty else { return 0 }
    return try withNoGrad {
        let norms = try gradients.map { try $0.norm().converted(to: .float64) }
        let total = try Tensor.stack(norms, alongAxis: 0).norm().item()
        let coefficient = maxNorm / (total + 1e-6)
        if coefficient < 1 {
            for g in gradients { try g.multiply(by: coefficient) }
        }
        return total
    }
}

/// An elementwise non-linearity, as a value (for layers that take one as a setting).
public enum Activation: Sendable, Equatable {
    /// max(x, 0).
    case relu
    /// The Gaussian error linear unit (exact erf form, PyTorch's default).
    case gelu
    /// The hyperbolic tangent.
    case tanh
    /// 1 / (1 + e^-x).
    case sigmoid
    /// x · sigmoid(x).
    case silu
    /// The exponential linear unit (alpha 1).
    case elu
    /// max(x, slope · x).
    case leakyRelu(slope: Double)

    /// `x` passed through this function.
    public func apply(_ x: Tensor) throws -> Tensor {
        switch self {
        case .relu: return try x.relu()
        case .gelu: return try x.gelu()
        case .tanh: return try x.tanh()
        case .sigmoid: return try x.sigmoid()
        case .silu: return try x.silu()
        case .elu: return try x.elu()
        case .leakyRelu(let slope): return try x.leakyRelu(slope: slope)
        }
    }
}

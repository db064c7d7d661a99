/// An elementwise non-linearity, as a value (for layers that take one as a setting).
public enum Activation: Sendable, Equatable {
    case relu, gelu, tanh, sigmoid, silu, elu
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

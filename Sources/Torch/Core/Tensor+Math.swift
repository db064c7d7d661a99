import CTorch

extension Tensor {
    func unary(_ op: ct_unary_op) throws -> Tensor { try checked(ct_tensor_unary(handle, op)) }
    func binary(_ other: Tensor, _ op: ct_binary_op) throws -> Tensor { try checked(ct_tensor_binary(handle, other.handle, op)) }
    func binary(_ scalar: Double, _ op: ct_binary_op) throws -> Tensor { try checked(ct_tensor_binary_scalar(handle, scalar, op)) }

    // MARK: Activations and elementwise functions

    /// max(x, 0).
    public func relu() throws -> Tensor { try unary(CT_RELU) }
    /// The Gaussian error linear unit (exact erf form).
    public func gelu() throws -> Tensor { try unary(CT_GELU) }
    /// 1 / (1 + e^-x).
    public func sigmoid() throws -> Tensor { try unary(CT_SIGMOID) }
    /// The hyperbolic tangent.
    public func tanh() throws -> Tensor { try unary(CT_TANH) }
    /// The exponential linear unit (alpha 1).
    public func elu() throws -> Tensor { try unary(CT_ELU) }
    /// x · sigmoid(x).
    public func silu() throws -> Tensor { try unary(CT_SILU) }
    /// max(x, slope·x).
    public func leakyRelu(slope: Double = 0.01) throws -> Tensor { try checked(ct_tensor_leaky_relu(handle, slope)) }
    /// e^x.
    public func exp() throws -> Tensor { try unary(CT_EXP) }
    /// The natural logarithm.
    public func log() throws -> Tensor { try unary(CT_LOG) }
    /// |x|.
    public func abs() throws -> Tensor { try unary(CT_ABS) }
    /// √x.
    public func sqrt() throws -> Tensor { try unary(CT_SQRT) }
    /// 1/√x.
    public func rsqrt() throws -> Tensor { try unary(CT_RSQRT) }
    /// -1, 0 or 1.
    public func sign() throws -> Tensor { try unary(CT_SIGN) }
    /// x².
    public func squared() throws -> Tensor { try unary(CT_SQUARE) }
    /// sin x.
    public func sin() throws -> Tensor { try unary(CT_SIN) }
    /// cos x.
    public func cos() throws -> Tensor { try unary(CT_COS) }
    /// Rounds down.
    public func floor() throws -> Tensor { try unary(CT_FLOOR) }
    /// Rounds to nearest (half to even).
    public func rounded() throws -> Tensor { try unary(CT_ROUND) }
    /// Whether each element is finite (bool).
    public func isFinite() throws -> Tensor { try unary(CT_ISFINITE) }
    /// Whether each element is NaN (bool).
    public func isNaN() throws -> Tensor { try unary(CT_ISNAN) }
    /// Logical not of a bool tensor.
    public func logicalNot() throws -> Tensor { try unary(CT_LOGICAL_NOT) }
    /// Clamps every element to [low, high].
    public func clamped(_ low: Double, _ high: Double) throws -> Tensor { try checked(ct_tensor_clamp(handle, low, high)) }
    /// xᵉ elementwise.
    public func pow(_ exponent: Double) throws -> Tensor { try binary(exponent, CT_POW) }
    /// The elementwise maximum with `other`.
    public func maximum(_ other: Tensor) throws -> Tensor { try binary(other, CT_MAXIMUM) }
    /// The elementwise minimum with `other`.
    public func minimum(_ other: Tensor) throws -> Tensor { try binary(other, CT_MINIMUM) }

    /// Matrix product with broadcasting (`torch.matmul`).
    public func matmul(_ other: Tensor) throws -> Tensor { try binary(other, CT_MATMUL) }
    /// Batched matrix product of two 3-D tensors.
    public func bmm(_ other: Tensor) throws -> Tensor { try binary(other, CT_BMM) }

    /// Picks from `a` where this bool tensor is true, else from `b`.
    public func select(_ a: Tensor, else b: Tensor) throws -> Tensor { try checked(ct_tensor_where(handle, a.handle, b.handle)) }

    // MARK: Comparisons (bool results)

    /// Elementwise ==.
    public func equal(_ other: Tensor) throws -> Tensor { try binary(other, CT_EQ) }
    /// Elementwise == scalar.
    public func equal(_ scalar: Double) throws -> Tensor { try binary(scalar, CT_EQ) }
    /// Elementwise <.
    public func less(_ other: Tensor) throws -> Tensor { try binary(other, CT_LT) }
    /// Elementwise < scalar.
    public func less(_ scalar: Double) throws -> Tensor { try binary(scalar, CT_LT) }
    /// Elementwise >.
    public func greater(_ other: Tensor) throws -> Tensor { try binary(other, CT_GT) }
    /// Elementwise > scalar.
    public func greater(_ scalar: Double) throws -> Tensor { try binary(scalar, CT_GT) }

    // MARK: Operators

    public static func + (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(b, CT_ADD) }
    public static func - (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(b, CT_SUB) }
    public static func * (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(b, CT_MUL) }
    public static func / (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(b, CT_DIV) }
    public static func + (a: Tensor, s: Double) throws -> Tensor { try a.binary(s, CT_ADD) }
    public static func - (a: Tensor, s: Double) throws -> Tensor { try a.binary(s, CT_SUB) }
    public static func * (a: Tensor, s: Double) throws -> Tensor { try a.binary(s, CT_MUL) }
    public static func / (a: Tensor, s: Double) throws -> Tensor { try a.binary(s, CT_DIV) }
    public static func + (s: Double, a: Tensor) throws -> Tensor { try a.binary(s, CT_ADD) }
    public static func * (s: Double, a: Tensor) throws -> Tensor { try a.binary(s, CT_MUL) }
    public static func - (s: Double, a: Tensor) throws -> Tensor { try checked(ct_tensor_scalar_binary(s, a.handle, CT_SUB)) }
    public static func / (s: Double, a: Tensor) throws -> Tensor { try checked(ct_tensor_scalar_binary(s, a.handle, CT_DIV)) }
    public static prefix func - (a: Tensor) throws -> Tensor { try a.unary(CT_NEG) }

    // MARK: In place (for optimizers; call under `withNoGrad`)

    /// self += alpha · other.
    public func add(_ other: Tensor, alpha: Double = 1) throws { try checked(ct_tensor_add_(handle, other.handle, alpha)) }
    /// self *= scalar.
    public func multiply(by scalar: Double) throws { try checked(ct_tensor_mul_scalar_(handle, scalar)) }
    /// self *= other.
    public func multiply(by other: Tensor) throws { try checked(ct_tensor_mul_(handle, other.handle)) }
    /// self += value · t1 · t2.
    public func addProduct(_ t1: Tensor, _ t2: Tensor, value: Double = 1) throws {
        try checked(ct_tensor_addcmul_(handle, t1.handle, t2.handle, value))
    }
    /// self += value · t1 / t2.
    public func addQuotient(_ t1: Tensor, _ t2: Tensor, value: Double = 1) throws {
        try checked(ct_tensor_addcdiv_(handle, t1.handle, t2.handle, value))
    }
    /// Copies `source`'s values into this tensor (broadcasting, converting dtype).
    public func assign(_ source: Tensor) throws { try checked(ct_tensor_copy_(handle, source.handle)) }
    /// Sets every element to `value`.
    public func fill(_ value: Double) throws { try checked(ct_tensor_fill_(handle, value)) }
    /// Sets every element to zero.
    public func zero() throws { try checked(ct_tensor_zero_(handle)) }
}

import CTorch

/// The element type of a tensor.
public enum DType: Int32, Sendable, CaseIterable, CustomStringConvertible {
    case float32 = 0, float64, int64, int32, bool, bfloat16, float16, uint8

    var code: ct_dtype { ct_dtype(rawValue: UInt32(rawValue)) }

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .float64, .int64: return 8
        case .float32, .int32: return 4
        case .bfloat16, .float16: return 2
        case .bool, .uint8: return 1
        }
    }

    /// Whether the type holds floating-point values.
    public var isFloatingPoint: Bool { [.float32, .float64, .bfloat16, .float16].contains(self) }

    public var description: String {
        switch self {
        case .float32: return "float32"
        case .float64: return "float64"
        case .int64: return "int64"
        case .int32: return "int32"
        case .bool: return "bool"
        case .bfloat16: return "bfloat16"
        case .float16: return "float16"
        case .uint8: return "uint8"
        }
    }
}

/// Swift element types that map one-to-one onto a tensor dtype.
public protocol TensorScalar: Sendable {
    /// The dtype whose elements have this Swift layout.
    static var dtype: DType { get }
    /// A zero value to size buffers.
    static var zero: Self { get }
}

extension Float: TensorScalar {
    public static var dtype: DType { .float32 }
}
extension Double: TensorScalar {
    public static var dtype: DType { .float64 }
}
extension Int64: TensorScalar {
    public static var dtype: DType { .int64 }
}
extension Int32: TensorScalar {
    public static var dtype: DType { .int32 }
}
extension UInt8: TensorScalar {
    public static var dtype: DType { .uint8 }
}
extension Bool: TensorScalar {
    public static var dtype: DType { .bool }
    public static var zero: Bool { false }
}

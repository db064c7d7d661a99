import CTorch

/// An n-dimensional array in libtorch, with autograd.
///
/// Each `Tensor` is the one Swift owner of its C handle; the handle is freed
/// when the tensor is released. Several tensors may view the same storage
/// (as in PyTorch), each with its own handle.
public final class Tensor {
    let handle: ct_tensor

    /// Takes ownership of a handle returned by CTorch.
    init(owning handle: ct_tensor) { self.handle = handle }

    deinit { ct_tensor_free(handle) }

    // MARK: Creation

    /// A tensor holding a copy of `scalars`, laid out row-major in `shape`.
    /// - Throws: `TorchError` when the element count does not match the shape.
    public convenience init<Scalar: TensorScalar>(_ scalars: [Scalar], shape: [Int]) throws {
        let count = shape.reduce(1, *)
        guard count == scalars.count, shape.allSatisfy({ $0 >= 0 }) else {
            throw TorchError("shape \(shape) needs \(count) elements, got \(scalars.count)")
        }
        let sizes = shape.map(Int64.init)
        let handle = scalars.withUnsafeBytes { bytes in
            sizes.withUnsafeBufferPointer { ct_tensor_from_blob(bytes.baseAddress, $0.baseAddress, Int32(sizes.count), Scalar.dtype.code) }
        }
        self.init(owning: try checkedPointer(handle))
    }

    /// A one-dimensional tensor holding `scalars`.
    public convenience init<Scalar: TensorScalar>(_ scalars: [Scalar]) throws {
        try self.init(scalars, shape: [scalars.count])
    }

    /// A tensor holding a copy of raw elements of `dtype` from a buffer.
    public convenience init(copying buffer: UnsafeRawBufferPointer, shape: [Int], dtype: DType) throws {
        let count = shape.reduce(1, *)
        guard count * dtype.byteSize == buffer.count else {
            throw TorchError("shape \(shape) of \(dtype) needs \(count * dtype.byteSize) bytes, got \(buffer.count)")
        }
        let sizes = shape.map(Int64.init)
        let handle = sizes.withUnsafeBufferPointer { ct_tensor_from_blob(buffer.baseAddress, $0.baseAddress, Int32(sizes.count), dtype.code) }
        self.init(owning: try checkedPointer(handle))
    }

    /// A scalar (zero-dimensional) tensor.
    public convenience init(scalar: Double, dtype: DType = .float32) throws {
        self.init(owning: try checkedPointer(ct_tensor_full(nil, 0, scalar, dtype.code)))
    }

    /// A tensor of `shape` filled with `value`.
    public static func full(_ shape: [Int], value: Double, dtype: DType = .float32) throws -> Tensor {
        try withSizes(shape) { try checked(ct_tensor_full($0, $1, value, dtype.code)) }
    }

    /// A tensor of zeros.
    public static func zeros(_ shape: [Int], dtype: DType = .float32) throws -> Tensor {
        try full(shape, value: 0, dtype: dtype)
    }

    /// A tensor of ones.
    public static func ones(_ shape: [Int], dtype: DType = .float32) throws -> Tensor {
        try full(shape, value: 1, dtype: dtype)
    }

    /// Standard normal draws from the global generator.
    public static func randn(_ shape: [Int], dtype: DType = .float32) throws -> Tensor {
        try withSizes(shape) { try checked(ct_tensor_randn($0, $1, dtype.code)) }
    }

    /// Uniform draws on [0, 1) from the global generator.
    public static func rand(_ shape: [Int], dtype: DType = .float32) throws -> Tensor {
        try withSizes(shape) { try checked(ct_tensor_rand($0, $1, dtype.code)) }
    }

    /// Integers drawn uniformly from `range` (int64).
    public static func randint(_ range: Range<Int>, shape: [Int]) throws -> Tensor {
        try withSizes(shape) { try checked(ct_tensor_randint(Int64(range.lowerBound), Int64(range.upperBound), $0, $1)) }
    }

    /// A random permutation of 0..<n (int64).
    public static func randperm(_ n: Int) throws -> Tensor { try checked(ct_tensor_randperm(Int64(n))) }

    /// Values from `start` up to (not including) `end` in steps of `step`.
    public static func arange(_ start: Double, _ end: Double, step: Double = 1, dtype: DType = .float32) throws -> Tensor {
        try checked(ct_tensor_arange(start, end, step, dtype.code))
    }

    /// Bernoulli draws with these per-element probabilities.
    public func bernoulli() throws -> Tensor { try checked(ct_tensor_bernoulli(handle)) }

    /// Fills in place with uniform draws on [low, high).
    public func uniformFill(_ low: Double, _ high: Double) throws { try checked(ct_tensor_uniform_(handle, low, high)) }

    /// Fills in place with normal draws.
    public func normalFill(mean: Double = 0, std: Double = 1) throws { try checked(ct_tensor_normal_(handle, mean, std)) }

    // MARK: Queries

    /// The sizes of each dimension (any number of them).
    public var shape: [Int] { dimensions("shape", ct_tensor_shape) }

    /// The element strides of each dimension.
    public var strides: [Int] { dimensions("strides", ct_tensor_strides) }

    /// Sizes or strides, read into a buffer of exactly `rank` values.
    private func dimensions(_ what: String, _ query: (ct_tensor, UnsafeMutablePointer<Int64>?, Int32) -> Int32) -> [Int] {
        var values = [Int64](repeating: 0, count: rank)
        let n = values.withUnsafeMutableBufferPointer { unfailing(query(handle, $0.baseAddress, Int32($0.count)), what) }
        return values.prefix(Int(n)).map(Int.init)
    }

    /// The number of dimensions.
    public var rank: Int { Int(unfailing(ct_tensor_ndim(handle), "rank")) }

    /// The number of elements.
    public var count: Int { Int(unfailing(ct_tensor_numel(handle), "element count")) }

    /// The element type. Every tensor CTorch hands out has one of `DType`'s (loading a dict rejects others).
    public var dtype: DType {
        let code = unfailing(ct_tensor_dtype(handle), "dtype")
        guard let dtype = DType(rawValue: code) else { fatalError("CTorch returned dtype code \(code), which DType lacks") }
        return dtype
    }

    /// Where the storage lives.
    public var device: Device {
        var index: Int32 = 0
        return unfailing(ct_tensor_device(handle, &index), "device") == 1 ? .cuda(Int(index)) : .cpu
    }

    /// Whether the elements are laid out contiguously, row-major.
    public var isContiguous: Bool { unfailing(ct_tensor_is_contiguous(handle), "contiguity") == 1 }

    /// The elements, row-major, converted to `Scalar`.
    public func scalars<Scalar: TensorScalar>(as type: Scalar.Type = Scalar.self) throws -> [Scalar] {
        var out = [Scalar](repeating: .zero, count: count)
        _ = try out.withUnsafeMutableBytes { try checked(ct_tensor_copy_to(handle, $0.baseAddress, $0.count, Scalar.dtype.code)) }
        return out
    }

    /// Copies the elements, converted to `Scalar`, into `buffer` (whose size must match).
    public func copyScalars<Scalar: TensorScalar>(into buffer: UnsafeMutableBufferPointer<Scalar>) throws {
        try checked(ct_tensor_copy_to(handle, buffer.baseAddress, buffer.count * MemoryLayout<Scalar>.stride, Scalar.dtype.code))
    }

    /// The single value of a one-element tensor.
    public func item() throws -> Double {
        var value = 0.0
        try checked(ct_tensor_item(handle, &value))
        return value
    }

    /// The single value of a one-element tensor as a Float.
    public func floatValue() throws -> Float { Float(try item()) }

    /// A new handle on the same storage (changes through one show through the other).
    public func alias() throws -> Tensor { try checked(ct_tensor_alias(handle)) }
}

extension Tensor: CustomStringConvertible {
    /// libtorch's printout of the values (or the shape and libtorch's reason when it cannot print them).
    public var description: String {
        do {
            let raw = try checkedPointer(ct_tensor_describe(handle))
            defer { free(raw) }
            return String(cString: raw)
        } catch {
            return "Tensor(shape: \(shape), dtype: \(dtype)) (not printable: \(error))"
        }
    }
}

/// Calls `body` with a C view of `shape`.
func withSizes<R>(_ shape: [Int], _ body: (UnsafePointer<Int64>?, Int32) throws -> R) rethrows -> R {
    let sizes = shape.map(Int64.init)
    return try sizes.withUnsafeBufferPointer { try body($0.baseAddress, Int32(sizes.count)) }
}

#if canImport(Glibc)
import Glibc
#endif

import CTorch

extension Tensor {
    /// A 64-bit FNV-1a hash of the bytes of `tensors` in order: equal for bitwise-equal values (how ranks show
    /// that they hold the same weights), different for almost any difference.
    public static func checksum(of tensors: [Tensor]) throws -> UInt64 {
        var value: UInt64 = 0
        _ = try withHandles(tensors) { try checked(ct_tensors_checksum($0, $1, &value)) }
        return value
    }
}

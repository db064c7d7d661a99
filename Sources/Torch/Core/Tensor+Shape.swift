import CTorch

extension Tensor {
    /// The same elements in a new shape (a view when possible, else a copy); one size may be -1.
    public func reshaped(to shape: [Int]) throws -> Tensor { try withSizes(shape) { try checked(ct_tensor_reshape(handle, $0, $1)) } }
    /// A view in a new shape; fails when the layout does not allow one.
    public func viewed(as shape: [Int]) throws -> Tensor { try withSizes(shape) { try checked(ct_tensor_view(handle, $0, $1)) } }
    /// Dimensions reordered.
    public func permuted(_ order: Int...) throws -> Tensor { try permuted(order) }
    /// Dimensions reordered.
    public func permuted(_ order: [Int]) throws -> Tensor { try withSizes(order) { try checked(ct_tensor_permute(handle, $0, $1)) } }
    /// Two dimensions swapped.
    public func transposed(_ a: Int, _ b: Int) throws -> Tensor { try checked(ct_tensor_transpose(handle, Int64(a), Int64(b))) }
    /// Size-1 dimensions broadcast to `shape` (a view).
    public func expanded(to shape: [Int]) throws -> Tensor { try withSizes(shape) { try checked(ct_tensor_expand(handle, $0, $1)) } }
    /// Tiled `repeats` times along each dimension.
    public func repeated(_ repeats: [Int]) throws -> Tensor { try withSizes(repeats) { try checked(ct_tensor_repeat(handle, $0, $1)) } }
    /// A contiguous (row-major) copy, or self's storage when already contiguous.
    public func contiguous() throws -> Tensor { try checked(ct_tensor_contiguous(handle)) }
    /// Every size-1 dimension removed.
    public func squeezed() throws -> Tensor { try checked(ct_tensor_squeeze(handle, Int64.min)) }
    /// The size-1 dimension `axis` removed.
    public func squeezed(axis: Int) throws -> Tensor { try checked(ct_tensor_squeeze(handle, Int64(axis))) }
    /// A size-1 dimension inserted at `axis`.
    public func unsqueezed(axis: Int) throws -> Tensor { try checked(ct_tensor_unsqueeze(handle, Int64(axis))) }
    /// Dimensions `start...end` merged into one.
    public func flattened(from start: Int = 0, to end: Int = -1) throws -> Tensor { try checked(ct_tensor_flatten(handle, Int64(start), Int64(end))) }
    /// `length` entries from `start` along `axis` (a view).
    public func narrowed(axis: Int, start: Int, length: Int) throws -> Tensor {
        try checked(ct_tensor_narrow(handle, Int64(axis), Int64(start), Int64(length)))
    }
    /// Entries `start..<end` with `step` along `axis` (a view).
    public func sliced(axis: Int, start: Int, end: Int, step: Int = 1) throws -> Tensor {
        try checked(ct_tensor_slice(handle, Int64(axis), Int64(start), Int64(end), Int64(step)))
    }
    /// Entry `index` along `axis`, that dimension removed (a view).
    public func selecting(axis: Int, index: Int) throws -> Tensor { try checked(ct_tensor_select(handle, Int64(axis), Int64(index))) }
    /// The entries at `indices` (int64) along `axis`.
    public func indexSelected(axis: Int, indices: Tensor) throws -> Tensor {
        try checked(ct_tensor_index_select(handle, Int64(axis), indices.handle))
    }
    /// Values gathered along `axis` at `indices` (int64, same rank).
    public func gathered(axis: Int, indices: Tensor) throws -> Tensor { try checked(ct_tensor_gather(handle, Int64(axis), indices.handle)) }
    /// Order reversed along `axes`.
    public func flipped(axes: [Int]) throws -> Tensor { try withSizes(axes) { try checked(ct_tensor_flip(handle, $0, $1)) } }
    /// One-hot rows (int64) for these class indices.
    public func oneHot(classes: Int) throws -> Tensor { try checked(ct_tensor_one_hot(handle, Int64(classes))) }
    /// A copy with its own storage.
    public func cloned() throws -> Tensor { try checked(ct_tensor_clone(handle)) }
    /// The same values, cut from the autograd graph.
    public func detached() throws -> Tensor { try checked(ct_tensor_detach(handle)) }
    /// The values converted to `dtype`.
    public func converted(to dtype: DType) throws -> Tensor { try checked(ct_tensor_to_dtype(handle, dtype.code)) }
    /// The tensor on `device`; a clear error when CUDA is absent.
    public func moved(to device: Device) throws -> Tensor {
        switch device {
        case .cpu: return try checked(ct_tensor_to_device(handle, 0, 0))
        case .cuda(let index): return try checked(ct_tensor_to_device(handle, 1, Int32(index)))
        }
    }
    /// A 4-D tensor laid out channels-last (NHWC) in memory, same logical shape.
    public func channelsLast() throws -> Tensor { try checked(ct_tensor_memory_format(handle, 1)) }

    /// Tensors joined along an existing `axis`.
    public static func concatenate(_ tensors: [Tensor], alongAxis axis: Int) throws -> Tensor {
        let handles: [ct_tensor?] = tensors.map { $0.handle }
        return try withExtendedLifetime(tensors) {
            try handles.withUnsafeBufferPointer { try checked(ct_tensor_cat($0.baseAddress, Int32(handles.count), Int64(axis))) }
        }
    }

    /// Tensors of one shape stacked along a new `axis`.
    public static func stack(_ tensors: [Tensor], alongAxis axis: Int) throws -> Tensor {
        let handles: [ct_tensor?] = tensors.map { $0.handle }
        return try withExtendedLifetime(tensors) {
            try handles.withUnsafeBufferPointer { try checked(ct_tensor_stack($0.baseAddress, Int32(handles.count), Int64(axis))) }
        }
    }
}

import CTorch

extension Tensor {
    func reduce(_ op: ct_reduce_op, _ axes: [Int], keepingDims: Bool, unbiased: Bool = true) throws -> Tensor {
        let dims = axes.map(Int64.init)
        return try dims.withUnsafeBufferPointer {
            try checked(ct_tensor_reduce(handle, op, $0.baseAddress, Int32(dims.count), keepingDims ? 1 : 0, unbiased ? 1 : 0))
        }
    }

    /// The sum of all elements (a scalar tensor).
    public func sum() throws -> Tensor { try reduce(CT_SUM, [], keepingDims: false) }
    /// The sum along `axes`.
    public func sum(alongAxes axes: Int..., keepingDims: Bool = false) throws -> Tensor { try reduce(CT_SUM, axes, keepingDims: keepingDims) }
    /// The mean of all elements.
    public func mean() throws -> Tensor { try reduce(CT_MEAN, [], keepingDims: false) }
    /// The mean along `axes`.
    public func mean(alongAxes axes: Int..., keepingDims: Bool = false) throws -> Tensor { try reduce(CT_MEAN, axes, keepingDims: keepingDims) }
    /// The largest element.
    public func max() throws -> Tensor { try reduce(CT_MAX, [], keepingDims: false) }
    /// The largest values along `axes`.
    public func max(alongAxes axes: Int..., keepingDims: Bool = false) throws -> Tensor { try reduce(CT_MAX, axes, keepingDims: keepingDims) }
    /// The smallest element.
    public func min() throws -> Tensor { try reduce(CT_MIN, [], keepingDims: false) }
    /// The smallest values along `axes`.
    public func min(alongAxes axes: Int..., keepingDims: Bool = false) throws -> Tensor { try reduce(CT_MIN, axes, keepingDims: keepingDims) }
    /// The index of the largest value along `axis` (int64).
    public func argmax(alongAxis axis: Int, keepingDims: Bool = false) throws -> Tensor { try reduce(CT_ARGMAX, [axis], keepingDims: keepingDims) }
    /// The index of the smallest value along `axis` (int64).
    public func argmin(alongAxis axis: Int, keepingDims: Bool = false) throws -> Tensor { try reduce(CT_ARGMIN, [axis], keepingDims: keepingDims) }
    /// The variance along `axes` (all when empty).
    public func variance(alongAxes axes: [Int] = [], keepingDims: Bool = false, unbiased: Bool = true) throws -> Tensor {
        try reduce(CT_VAR, axes, keepingDims: keepingDims, unbiased: unbiased)
    }
    /// The standard deviation along `axes` (all when empty).
    public func standardDeviation(alongAxes axes: [Int] = [], keepingDims: Bool = false, unbiased: Bool = true) throws -> Tensor {
        try reduce(CT_STD, axes, keepingDims: keepingDims, unbiased: unbiased)
    }
    /// log Σ eˣ along `axes` (all when empty), computed stably.
    public func logSumExp(alongAxes axes: [Int] = [], keepingDims: Bool = false) throws -> Tensor {
        try reduce(CT_LOGSUMEXP, axes, keepingDims: keepingDims)
    }
    /// The product of all elements.
    public func product() throws -> Tensor { try reduce(CT_PROD, [], keepingDims: false) }
    /// Whether every element is true (non-zero).
    public func all() throws -> Bool { try reduce(CT_ALL, [], keepingDims: false).item() != 0 }
    /// Whether any element is true (non-zero).
    public func any() throws -> Bool { try reduce(CT_ANY, [], keepingDims: false).item() != 0 }
    /// The Euclidean norm of all elements.
    public func norm() throws -> Tensor { try reduce(CT_NORM, [], keepingDims: false) }
}

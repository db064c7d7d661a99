import CTorch

extension Runtime {
    /// How a bfloat16 training convolution computes its weight gradient: `products` (one matrix product per kernel
    /// tap, where oneDNN runs AMX kernels: its convolution backward-weights primitive took 6× the products' time in
    /// a DSADS-shape epoch there) or `onednn` (libtorch's convolution backward). Chosen from the instruction set
    /// oneDNN reports, never by timing; float32 and float64 convolutions always take libtorch's.
    public static var convolutionWeightGradient: String {
        ct_convolution_weight_gradient_as_products() == 1 ? "products" : "onednn"
    }

    /// Forces the bfloat16 convolution weight gradient onto matrix products (true) or libtorch's convolution
    /// backward (false) for the whole process, or with nil returns it to the CPU's choice. Process-wide: a test that
    /// forces one must put nil back.
    public static func forceConvolutionWeightGradientAsProducts(_ products: Bool?) {
        ct_convolution_weight_gradient_force(products.map { $0 ? 1 : 0 } ?? -1)
    }
}

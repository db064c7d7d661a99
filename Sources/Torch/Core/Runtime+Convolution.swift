import CTorch

extension Runtime {
    /// How a bfloat16 training convolution runs: `products` (matrix products over the input's kernel-tap columns:
    /// the weight gradient always, the forward where input channels × taps reach 32; chosen where oneDNN runs AMX
    /// kernels, whose convolution backward-weights primitive took 6× the products' time in a DSADS-shape epoch and
    /// whose forward reached about half its matrix product's rate on the OPPORTUNITY shape) or `onednn` (libtorch's
    /// convolution, forward and backward). Chosen from the instruction set oneDNN reports, never by timing; float32
    /// and float64 convolutions always take libtorch's.
    public static var trainingConvolution: String {
        ct_convolution_as_products() == 1 ? "products" : "onednn"
    }

    /// Forces bfloat16 training convolutions onto matrix products (true) or libtorch's convolution (false) for the
    /// whole process, or with nil returns them to the CPU's choice. Process-wide: a test that forces one must put
    /// nil back.
    public static func forceTrainingConvolutionAsProducts(_ products: Bool?) {
        ct_convolution_as_products_force(products.map { $0 ? 1 : 0 } ?? -1)
    }
}

import CTorch

extension Runtime {
    /// How a bfloat16 training convolution runs: `products` (matrix products over the input's kernel-tap columns:
    /// the weight gradient always, the forward where input channels × taps reach 32; chosen where oneDNN runs AMX
    /// kernels, whose convolution backward-weights primitive took 6× the products' time in a DSADS-shape epoch and
    /// whose forward reached about half its matrix product's rate on the OPPORTUNITY shape) or `onednn` (libtorch's
    /// convolution, forward and backward). Chosen from the instruction set oneDNN reports, never by timing; float32
    /// convolutions follow `float32TrainingConvolution`, float64 ones always take libtorch's.
    public static var trainingConvolution: String {
        ct_convolution_as_products() == 1 ? "products" : "onednn"
    }

    /// Forces bfloat16 training convolutions onto matrix products (true) or libtorch's convolution (false) for the
    /// whole process, or with nil returns them to the CPU's choice. Process-wide: a test that forces one must put
    /// nil back.
    public static func forceTrainingConvolutionAsProducts(_ products: Bool?) {
        ct_convolution_as_products_force(products.map { $0 ? 1 : 0 } ?? -1)
    }

    /// How a float32 training convolution with a short output runs (at most 160 positions per window, input channels
    /// × taps at least 32: the narrow planes' deeper layers): `products` (forward and weight gradient as float32
    /// matrix products over the input's tap columns; chosen where oneDNN runs AVX2 kernels and not AVX-512 ones,
    /// whose direct convolution reached about half the matrix product's rate on the 3-wide WISDM plane on a Zen 3)
    /// or `onednn` (libtorch's convolution). Every other float32 convolution is libtorch's either way.
    public static var float32TrainingConvolution: String {
        ct_float32_convolution_as_products() == 1 ? "products" : "onednn"
    }

    /// Forces short float32 training convolutions onto matrix products (true) or libtorch's convolution (false) for
    /// the whole process, or with nil returns them to the CPU's choice. Process-wide: a test that forces one must put
    /// nil back.
    public static func forceFloat32TrainingConvolutionAsProducts(_ products: Bool?) {
        ct_float32_convolution_as_products_force(products.map { $0 ? 1 : 0 } ?? -1)
    }
}

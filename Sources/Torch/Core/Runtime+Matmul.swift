import CTorch

extension Runtime {
    /// The library that computes the recurrent layers' float32 matrix products (the LSTM training path's forward
    /// and the LSTM/GRU inference path): `onednn` (oneDNN's sgemm, in a build against Debian's libtorch with
    /// `libdnnl-dev` installed) or `aten` (ATen's `mm`, which Debian's libtorch takes from OpenBLAS).
    public static var recurrentMatmulLibrary: String { ct_recurrent_matmul_onednn() == 1 ? "onednn" : "aten" }

    /// The library of the LSTM training path's backward dL/dh and weight-gradient products: `onednn` where
    /// oneDNN's sgemm runs AVX-512 kernels (measured faster there), `aten` where it runs AVX2 ones (OpenBLAS
    /// measured faster there) or the build has no oneDNN. Chosen by instruction set, never by timing, so one
    /// machine gives the same numbers every run.
    public static var recurrentBackwardMatmulLibrary: String {
        ct_recurrent_backward_matmul_onednn() == 1 ? "onednn" : "aten"
    }

    /// Forces the LSTM backward's products onto `onednn` (true) or `aten` (false) for the whole process, or with
    /// nil returns them to the instruction set's choice. Process-wide: a test that forces one must put nil back.
    public static func forceRecurrentBackwardOnOneDNN(_ onednn: Bool?) {
        ct_recurrent_backward_matmul_force(onednn.map { $0 ? 1 : 0 } ?? -1)
    }
}

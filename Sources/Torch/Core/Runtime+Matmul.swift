import CTorch

extension Runtime {
    /// The library that computes the recurrent layers' float32 matrix products (the LSTM training path and the
    /// LSTM/GRU inference path): `onednn` (oneDNN's sgemm, in a build against Debian's libtorch with `libdnnl-dev`
    /// installed) or `aten` (ATen's `mm`, which Debian's libtorch takes from OpenBLAS).
    public static var recurrentMatmulLibrary: String { ct_recurrent_matmul_onednn() == 1 ? "onednn" : "aten" }
}

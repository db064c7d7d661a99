import CTorch

extension Runtime {
    /// The library that computes the recurrent layers' float32 matrix products (the LSTM training path's forward
    /// and the LSTM/GRU inference path): `onednn` (oneDNN's sgemm, in a build against Debian's libtorch with
    /// `libdnnl-dev` installed) or `aten` (ATen's `mm`, which Debian's libtorch takes from OpenBLAS).
    public static var recurrentMatmulLibrary: String { ct_recurrent_matmul_onednn() == 1 ? "onednn" : "aten" }

    /// The libraries of the LSTM training path's backward dL/dh and weight-gradient products, by what measured
    /// faster for the instruction set oneDNN's sgemm runs: `onednn` (AVX-512 kernels: all on oneDNN), `aten+onednn`
    /// (AVX2 kernels: the weight gradients, and dL/dh of layers whose hidden size is a multiple of 512, on ATen; the
    /// other dL/dh on oneDNN) or `aten` (a build without oneDNN). Never chosen by timing, so one machine gives a
    /// seeded run the same numbers every time.
    public static var recurrentBackwardMatmulLibrary: String {
        switch ct_recurrent_backward_matmul_policy() {
        case 1: "onednn"
        case 2: "aten+onednn"
        default: "aten"
        }
    }

    /// Forces every LSTM backward product onto `onednn` (true) or `aten` (false) for the whole process, or with nil
    /// returns them to the measured choice. Process-wide: a test that forces one must put nil back.
    public static func forceRecurrentBackwardOnOneDNN(_ onednn: Bool?) {
        ct_recurrent_backward_matmul_force(onednn.map { $0 ? 1 : 0 } ?? -1)
    }
}

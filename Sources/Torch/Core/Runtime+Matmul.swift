import CTorch

/// How the LSTM training path's backward multiplies its dL/dh and weight-gradient products
/// (`Runtime.recurrentBackwardProducts`); the raw values are what `har-bench` lines print.
public enum RecurrentBackwardProducts: String, CaseIterable, Sendable {
    /// Every product on ATen's `mm`: a build without oneDNN.
    case aten
    /// Every product on oneDNN's sgemm, as written: oneDNN runs AVX-512 kernels without AMX (a Zen 4).
    case onednn
    /// The weight gradients, and dL/dh of layers whose hidden size is a multiple of 512, on ATen; the other dL/dh on
    /// oneDNN: oneDNN's sgemm runs AVX2 kernels (a Zen 3).
    case atenAndOneDNN = "aten+onednn"
    /// Every product on oneDNN's sgemm, the weight gradients below 1024 columns computed as their transposes:
    /// oneDNN runs AMX (a Sapphire Rapids).
    case onednnTransposed = "onednn-transposed"

    /// The shim's number for it (`ct_recurrent_backward_matmul_policy`).
    fileprivate var policy: Int32 {
        switch self {
        case .aten: 0
        case .onednn: 1
        case .atenAndOneDNN: 2
        case .onednnTransposed: 3
        }
    }
}

/// How a recurrent layer's float32 hidden product h·W_hhᵀ is computed at batch 1 on the inference path
/// (`Runtime.recurrentBatchOneProduct`); the raw values are what `har-bench` lines print.
public enum RecurrentBatchOneProduct: String, CaseIterable, Sendable {
    /// The shim's one-pass product, its order of W_hh's rows alternating step to step.
    case fused
    /// oneDNN's sgemm by blocks of W_hh's rows in alternating order (one product on ATen in a build without oneDNN).
    case onednnBlocks = "onednn-blocks"

    /// The shim's number for it (`ct_recurrent_batch_one_product`).
    fileprivate var number: Int32 {
        switch self {
        case .fused: 0
        case .onednnBlocks: 1
        }
    }
}

extension Runtime {
    /// The library that computes the recurrent layers' float32 matrix products (the LSTM training path's forward
    /// and the LSTM/GRU inference path): `onednn` (oneDNN's sgemm, in a build against Debian's libtorch with
    /// `libdnnl-dev` installed) or `aten` (ATen's `mm`, which Debian's libtorch takes from OpenBLAS).
    public static var recurrentMatmulLibrary: String { ct_recurrent_matmul_onednn() == 1 ? "onednn" : "aten" }

    /// How the LSTM training path's backward computes dL/dh and the weight gradients, by what measured faster for
    /// the instruction set oneDNN runs (docs/PERFORMANCE.md, "The LSTM backward's products by CPU"); `aten` in a
    /// build without oneDNN. Never chosen by timing, so one machine gives a seeded run the same numbers every time.
    public static var recurrentBackwardProducts: RecurrentBackwardProducts {
        let policy = ct_recurrent_backward_matmul_policy()
        return RecurrentBackwardProducts.allCases.first { $0.policy == policy } ?? .aten
    }

    /// Forces the LSTM backward's products to `products` for the whole process (in a build without oneDNN every
    /// product still runs on ATen), or with nil returns them to the measured choice. Process-wide: a test that
    /// forces one must put nil back.
    public static func forceRecurrentBackwardProducts(_ products: RecurrentBackwardProducts?) {
        ct_recurrent_backward_matmul_force(products?.policy ?? -1)
    }

    /// How the inference path multiplies the hidden state by W_hh at batch 1 in float32, by what measured faster for
    /// the instruction set oneDNN runs (docs/PERFORMANCE.md, "Session 18: the batch-1 recurrent product"):
    /// `onednnBlocks` where oneDNN runs AVX-512 kernels, `fused` elsewhere. Never chosen by timing.
    public static var recurrentBatchOneProduct: RecurrentBatchOneProduct {
        let number = ct_recurrent_batch_one_product()
        return RecurrentBatchOneProduct.allCases.first { $0.number == number } ?? .fused
    }

    /// Forces the batch-1 hidden product to `product` for the whole process, or with nil returns it to the measured
    /// choice. Process-wide: a test that forces one must put nil back.
    public static func forceRecurrentBatchOneProduct(_ product: RecurrentBatchOneProduct?) {
        ct_recurrent_batch_one_product_force(product?.number ?? -1)
    }
}

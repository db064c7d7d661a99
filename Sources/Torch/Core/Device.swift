import CTorch

/// Where a tensor's storage lives.
public enum Device: Equatable, Sendable, CustomStringConvertible {
    case cpu
    case cuda(Int)

    /// Parses `cpu`, `cuda` or `cuda:N`.
    public init?(parsing text: String) {
        if text == "cpu" { self = .cpu; return }
        if text == "cuda" { self = .cuda(0); return }
        if text.hasPrefix("cuda:"), let index = Int(text.dropFirst(5)), index >= 0 {
            self = .cuda(index); return
        }
        return nil
    }

    /// Whether libtorch can use a CUDA device here.
    public static var isCUDAAvailable: Bool { unfailing(ct_cuda_is_available(), "cuda is_available") != 0 }

    /// The number of CUDA devices libtorch sees.
    public static var cudaDeviceCount: Int { Int(unfailing(ct_cuda_device_count(), "cuda device_count")) }

    public var description: String {
        switch self {
        case .cpu: return "cpu"
        case .cuda(let index): return "cuda:\(index)"
        }
    }
}

import CTorch

extension Runtime {
    /// Whether float arithmetic on the calling thread flushes subnormal numbers to zero (x86's flush-to-zero and
    /// denormals-are-zero); nil on a CPU where the shim cannot tell. The shim sets it when the program loads, so every
    /// thread inherits it, unless `HARLAB_DENORMALS=keep` (`ctorch_denormals.h`): on Intel cores each subnormal costs
    /// a microcode assist, and recurrent gradients fading over long windows are full of them.
    public static var flushesDenormals: Bool? {
        switch ct_denormals_flushed() {
        case 1: true
        case 0: false
        default: nil
        }
    }

    /// Whether the shim flushed subnormals when the program loaded (false under `HARLAB_DENORMALS=keep`).
    public static var flushedDenormalsAtLoad: Bool { ct_denormals_flushed_at_load() == 1 }

    /// Flushes (true) or keeps (false) subnormal floats on the calling thread and every thread of libtorch's intra-op
    /// pool; threads created later inherit the calling thread's setting.
    /// - Throws: `TorchError` on a CPU where the shim cannot switch it (not x86).
    public static func setFlushesDenormals(_ flush: Bool) throws {
        guard ct_denormals_set_flushed(flush ? 1 : 0) == 0 else {
            throw TorchError("this CPU's float environment cannot be switched by harlab (flush-to-zero is x86's MXCSR)")
        }
    }
}

import Torch

/// What float arithmetic does with subnormal numbers, for `status` and benchmark lines: flushed to zero (the default:
/// on Intel cores each one costs a microcode assist, and an LSTM's gradients fading over a long window are full of
/// them) or kept as IEEE 754 and PyTorch's default do (`HARLAB_DENORMALS=keep`); see `Runtime.flushesDenormals`.
public struct DenormalHandling: Equatable, Sendable, CustomStringConvertible {
    /// Whether the calling thread flushes them; nil on a CPU where harlab cannot tell.
    public var flushed: Bool?
    /// Whether harlab flushed them when the program loaded.
    public var flushedAtLoad: Bool

    /// The handling in effect on the calling thread.
    public static var current: DenormalHandling {
        DenormalHandling(flushed: Runtime.flushesDenormals, flushedAtLoad: Runtime.flushedDenormalsAtLoad)
    }

    /// `flushed` or `kept`, as benchmark lines and `--json` name it; nil where unknown.
    public var name: String? { flushed.map { $0 ? "flushed" : "kept" } }

    /// `subnormal floats flushed to zero (HARLAB_DENORMALS=keep keeps them)`.
    public var description: String {
        switch flushed {
        case true?: "subnormal floats flushed to zero (HARLAB_DENORMALS=keep keeps them)"
        case false?: "subnormal floats kept" + (flushedAtLoad ? "" : " (HARLAB_DENORMALS=keep)")
        case nil: "subnormal floats as this CPU computes them"
        }
    }
}

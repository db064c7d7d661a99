/// A small, fast, seedable random number generator (SplitMix64): the same seed gives the same stream on every platform.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose stream is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    /// A generator for one of several independent streams derived from a seed (e.g. seed × epoch × batch).
    public init(seed: UInt64, stream: UInt64...) {
        var mixed = seed
        for part in stream { mixed = SeededGenerator.mix(mixed &+ 0x9E37_79B9_7F4A_7C15 &* (part &+ 1)) }
        state = mixed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SeededGenerator.mix(state)
    }

    /// A uniform Float in [0, 1).
    public mutating func unit() -> Float { Float(next() >> 40) * (1.0 / Float(1 << 24)) }

    /// A standard normal sample (Box–Muller).
    public mutating func gaussian() -> Float {
        let u = max(Double(next() >> 11) * (1.0 / Double(1 << 53)), 1e-300)
        let v = Double(next() >> 11) * (1.0 / Double(1 << 53))
        return Float((-2 * log(u)).squareRoot() * cos(2 * Double.pi * v))
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How fast a replay feeds its samples: real time times a factor (`speed=10`: ten seconds of recording per second),
/// or as fast as the stream path takes them (`speed=max`).
public enum ReplaySpeed: Sendable, Equatable, CustomStringConvertible {
    /// `factor` seconds of recording per second of wall-clock time.
    case times(Double)
    /// No waiting between samples.
    case max

    /// Parses `max` or a positive factor (`10`, `0.5`, `1`).
    /// - Throws: `ReplayError` naming the value for anything else.
    public init(parsing text: String) throws {
        if text == "max" { self = .max; return }
        guard let factor = Double(text), factor.isFinite, factor > 0 else {
            throw ReplayError("bad speed '\(text)': expected a positive factor of real time (speed=10 plays ten times faster) or speed=max")
        }
        self = .times(factor)
    }

    /// Seconds to wait before feeding sample `index` (0 first) of a `rate` Hz recording when `elapsed` seconds have
    /// passed since the first: the sample is due at `index / (rate × factor)`; never negative, always 0 at `max`.
    public func wait(beforeSample index: Int, rate: Double, elapsed: Double) -> Double {
        guard case .times(let factor) = self else { return 0 }
        return Swift.max(0, Double(index) / (rate * factor) - elapsed)
    }

    /// `max`, or the factor with an `×` (`10×`).
    public var description: String {
        switch self {
        case .max: return "max"
        case .times(let factor): return (factor == factor.rounded() && factor < 1e6 ? String(Int(factor)) : String(factor)) + "×"
        }
    }
}

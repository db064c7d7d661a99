/// The sample rate a stream was found to have and what is done about it.
public struct StreamRate: Sendable, Equatable {
    /// Where the stream's rate came from.
    public enum Source: String, Sendable, Equatable {
        /// The user declared it.
        case declared
        /// The median interval between the first timestamps.
        case measured
        /// Neither: the stream has no timestamps and no rate was declared, so the model's rate is taken.
        case assumed
    }

    /// The stream's rate in samples per second.
    public var hertz: Double
    /// Where it came from.
    public var source: Source
    /// Whether samples are resampled onto the model's rate (linear interpolation); false when the rates match
    /// within `StreamRate.tolerance` and samples pass through unchanged.
    public var resampled: Bool

    /// The relative difference between two rates still taken as the same rate (1 %: clock jitter, not a mismatch).
    public static let tolerance = 0.01

    /// Whether `hertz` is `modelRate` within the tolerance.
    public static func matches(_ hertz: Double, _ modelRate: Double) -> Bool { abs(hertz - modelRate) <= tolerance * modelRate }

    /// One line: `50 Hz (measured), resampled to 25 Hz by linear interpolation`.
    public func summary(modelRate: Double) -> String {
        "\(Self.format(hertz)) Hz (\(source.rawValue))" + (resampled
            ? ", resampled to \(Self.format(modelRate)) Hz by linear interpolation" : ", the model's rate")
    }

    /// A rate with at most two decimals and no trailing zeros.
    public static func format(_ hertz: Double) -> String {
        let rounded = (hertz * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

/// The preprocessing that produced a dataset: enough to reproduce it and to compare it with the reference tool.
public struct DatasetProtocol: Sendable, Equatable, Codable {
    /// Window length in samples.
    public var window: Int
    /// Fraction of a window shared with the next.
    public var overlap: Double
    /// Window step in samples (`Int(window × (1 − overlap))`, as the reference computes it).
    public var stride: Int
    /// The split rule in effect, as option text (e.g. `subjects:7,8`).
    public var split: String
    /// Whether channels were z-scored.
    public var normalized: Bool
    /// Per-channel means fitted on the training (and validation) windows; empty when not normalised.
    public var mean: [Float]
    /// Per-channel standard deviations fitted with the means (population, 1 where a channel is constant).
    public var std: [Float]
    /// Contiguous or reference windowing (`DatasetOptions.Windowing` raw value).
    public var windowing: String
    /// Fraction of training subjects (or windows) held out for validation.
    public var validationFraction: Double
    /// The seed that chose the validation subjects (and generated synthetic data).
    public var seed: UInt64
    /// The folder the data was read from ("" for generated data).
    public var sourcePath: String
    /// What was dropped while reading and windowing, one line per reason with counts.
    public var dropped: [String]

    /// One line for `info` and reports.
    public var summary: String {
        "window \(window), overlap \(overlap), split \(split), normalize \(normalized ? "on" : "off"), windowing \(windowing)"
    }
}

import Foundation

/// The preprocessing parameters of one load, parsed from `key=value` options; unset values take the dataset's reference defaults.
public struct DatasetOptions: Sendable, Equatable {
    /// How windows are cut from recordings.
    public enum Windowing: String, Sendable, Codable, CaseIterable {
        /// Within contiguous runs of one subject (or file) and one label: no window straddles two recordings.
        case contiguous
        /// As the Python reference tool: all samples of a label per subject (or file) concatenated, then windowed.
        case reference
    }

    /// The option keys a load accepts.
    public static let validKeys = ["window", "overlap", "split", "normalize", "rate", "windowing", "seed", "validation", "cache", "subjects"]

    /// Window length in samples (nil: the dataset's default).
    public var window: Int?
    /// Fraction of a window shared with the next, in [0, 1) (nil: the dataset's default).
    public var overlap: Double?
    /// Train/test split (nil: the dataset's reference split).
    public var split: SplitRule?
    /// Whether channels are z-scored with statistics of the training windows (nil: the dataset's default).
    public var normalize: Bool?
    /// Target sample rate in Hz; recordings are resampled linearly (nil: the dataset's own rate).
    public var rate: Double?
    /// Contiguous or reference windowing.
    public var windowing = Windowing.contiguous
    /// Seed for synthetic data and for choosing validation subjects.
    public var seed: UInt64 = 0
    /// Fraction of the training subjects (or windows) held out as the validation split.
    public var validationFraction = 0.1
    /// Whether the preprocessed result is read from / written to the cache.
    public var cache = true
    /// The only subjects whose recordings are kept (nil: every subject), e.g. one person to fine-tune on.
    public var subjects: [Int]?

    /// The reference defaults of every dataset.
    public init() {}

    /// Parses options such as `["window": "128", "split": "subjects:7,8"]`.
    /// - Throws: `DatasetError` naming an unknown key (with the valid ones) or a bad value.
    public init(_ options: [String: String]) throws {
        for (key, value) in options.sorted(by: { $0.key < $1.key }) {
            func bad(_ expected: String) -> DatasetError { DatasetError("bad value '\(value)' for \(key): expected \(expected)") }
            switch key {
            case "window":
                guard let n = Int(value), n > 0 else { throw bad("a positive number of samples") }
                window = n
            case "overlap":
                guard let f = Double(value), f >= 0, f < 1 else { throw bad("a fraction in [0, 1)") }
                overlap = f
            case "split": split = try SplitRule(parsing: value)
            case "normalize", "normalise":
                guard let flag = DatasetOptions.flag(value) else { throw bad("on or off") }
                normalize = flag
            case "rate":
                guard let hz = Double(value), hz > 0, hz.isFinite else { throw bad("a positive rate in Hz") }
                rate = hz
            case "windowing":
                guard let mode = Windowing(rawValue: value) else { throw bad("contiguous or reference") }
                windowing = mode
            case "seed":
                guard let s = UInt64(value) else { throw bad("a non-negative integer") }
                seed = s
            case "validation", "val":
                guard let f = Double(value), f >= 0, f < 1 else { throw bad("a fraction in [0, 1)") }
                validationFraction = f
            case "subjects":
                let ids = value.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
                guard !ids.isEmpty, ids.allSatisfy({ $0 != nil }) else { throw bad("subject ids, e.g. 6 or 1,2,3") }
                subjects = ids.compactMap { $0 }
            case "cache":
                guard let flag = DatasetOptions.flag(value) else { throw bad("on or off") }
                cache = flag
            default:
                throw DatasetError("unknown option '\(key)': valid options are \(DatasetOptions.validKeys.joined(separator: ", "))")
            }
        }
    }

    /// The options that shape the data, in a fixed order: two loads with equal keys give equal datasets.
    var cacheKey: String {
        ["window=\(window.map(String.init) ?? "default")", "overlap=\(overlap.map { "\($0)" } ?? "default")",
         "split=\(split?.description ?? "default")", "normalize=\(normalize.map { "\($0)" } ?? "default")",
         "rate=\(rate.map { "\($0)" } ?? "default")", "windowing=\(windowing.rawValue)", "seed=\(seed)",
         "validation=\(validationFraction)"].joined(separator: ";")
            + (subjects.map { ";subjects=" + $0.map(String.init).joined(separator: ",") } ?? "")
    }

    private static func flag(_ value: String) -> Bool? {
        switch value.lowercased() {
        case "on", "true", "yes", "1": return true
        case "off", "false", "no", "0": return false
        default: return nil
        }
    }
}

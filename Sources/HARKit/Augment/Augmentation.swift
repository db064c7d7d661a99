/// One on-the-fly transformation of training windows, with its strength.
public enum Augmentation: Sendable, Equatable, CustomStringConvertible {
    /// Adds Gaussian noise of standard deviation σ to every value.
    case jitter(sigma: Float)
    /// Multiplies each channel of a window by a factor drawn from N(1, σ).
    case scale(sigma: Float)
    /// Turns every tri-axial group of one sensor unit by one random 3-D rotation of up to `degrees`.
    case rotate(degrees: Float)
    /// Keeps a random `fraction` of the window's time steps, stretched back to the full length.
    case crop(fraction: Float)
    /// Reverses time with probability `probability`.
    case flip(probability: Float)
    /// Resamples time along a smooth random speed curve whose speeds vary with standard deviation σ.
    case timewarp(sigma: Float)
    /// Blends each window with another of the batch, weight λ ~ Beta(α, α); the trainer mixes the two losses with the same λ.
    case mixup(alpha: Float)
    /// Multiplies each tri-axial sensor group of a window (all three axes alike, so the direction is kept) by one factor
    /// drawn from N(1, σ); a channel outside any group gets its own factor.
    case sensorscale(sigma: Float)
    /// Multiplies each tri-axial sensor group (all three axes alike) by a smooth random curve over time: four knots
    /// ~ N(1, σ), linearly interpolated (magnitude warping); a channel outside any group gets its own curve.
    case magwarp(sigma: Float)
    /// Mixup between subjects: like `mixup`, but each window's partner is drawn from the windows of the batch that come
    /// from another subject (any window when the whole batch is one subject's).
    case subjectmix(alpha: Float)

    /// Whether this step blends windows (and so runs after every other step).
    public var isMixing: Bool {
        switch self {
        case .mixup, .subjectmix: return true
        default: return false
        }
    }

    /// The augmentation names, in the order `augment` lists them.
    public static let names = ["jitter", "scale", "rotate", "crop", "flip", "timewarp", "mixup", "sensorscale", "magwarp", "subjectmix"]

    /// The named augmentation with `value`, or its default strength when `value` is nil.
    /// - Throws: `DatasetError` for an unknown name (with the valid ones) or a value out of range.
    public init(name: String, value: Float?) throws {
        func checked(_ v: Float, _ range: ClosedRange<Float>, _ meaning: String) throws -> Float {
            guard range.contains(v), v.isFinite else { throw DatasetError("bad value \(v) for \(name): expected \(meaning) in \(range.lowerBound)…\(range.upperBound)") }
            return v
        }
        switch name {
        case "jitter": self = .jitter(sigma: try checked(value ?? 0.05, 0...10, "a noise σ"))
        case "scale": self = .scale(sigma: try checked(value ?? 0.1, 0...10, "a scale σ"))
        case "rotate": self = .rotate(degrees: try checked(value ?? 30, 0...180, "a maximum angle in degrees"))
        case "crop": self = .crop(fraction: try checked(value ?? 0.9, 0.05...1, "the kept fraction"))
        case "flip": self = .flip(probability: try checked(value ?? 0.5, 0...1, "a probability"))
        case "timewarp": self = .timewarp(sigma: try checked(value ?? 0.2, 0...2, "a speed σ"))
        case "mixup": self = .mixup(alpha: try checked(value ?? 0.2, 0.001...100, "a Beta α"))
        case "sensorscale": self = .sensorscale(sigma: try checked(value ?? 0.1, 0...10, "a scale σ"))
        case "magwarp": self = .magwarp(sigma: try checked(value ?? 0.2, 0...10, "a knot σ"))
        case "subjectmix": self = .subjectmix(alpha: try checked(value ?? 0.2, 0.001...100, "a Beta α"))
        default: throw DatasetError("unknown augmentation '\(name)': valid ones are \(Augmentation.names.joined(separator: ", "))")
        }
    }

    /// `name=value`, as `augment` accepts it.
    public var description: String {
        switch self {
        case .jitter(let v): return "jitter=\(v)"
        case .scale(let v): return "scale=\(v)"
        case .rotate(let v): return "rotate=\(v)"
        case .crop(let v): return "crop=\(v)"
        case .flip(let v): return "flip=\(v)"
        case .timewarp(let v): return "timewarp=\(v)"
        case .mixup(let v): return "mixup=\(v)"
        case .sensorscale(let v): return "sensorscale=\(v)"
        case .magwarp(let v): return "magwarp=\(v)"
        case .subjectmix(let v): return "subjectmix=\(v)"
        }
    }
}

/// A named set of training settings and augmentation: `reference`, the published recipe (the defaults, so that
/// published comparisons reproduce), or `robust`, chosen for generalising to people not seen in training.
public enum TrainingRecipe: String, Sendable, CaseIterable, CustomStringConvertible {
    case reference
    case robust

    /// `robust`'s augmentation: one random rotation of up to 15° per sensor unit, per-sensor scaling, magnitude and
    /// time warping, a little noise, and mixup between subjects.
    public static let robustAugmentation = AugmentationPipeline(steps: [
        .rotate(degrees: 15), .sensorscale(sigma: 0.1), .magwarp(sigma: 0.1), .timewarp(sigma: 0.1), .jitter(sigma: 0.02),
        .subjectmix(alpha: 0.2),
    ])

    /// The recipe's name.
    public var description: String { rawValue }

    /// `config` with the settings this recipe decides (the reference's values for `reference`); every other
    /// setting (learning rate, epochs, batch, seed, threads, …) is left as it is.
    public func configured(_ config: TrainingConfig) -> TrainingConfig {
        var result = config
        let reference = TrainingConfig()
        switch self {
        case .reference:
            result.schedule = reference.schedule
            result.warmupEpochs = reference.warmupEpochs
            result.labelSmoothing = reference.labelSmoothing
            result.averagingDecay = reference.averagingDecay
            result.dropout = reference.dropout
        case .robust:
            result.schedule = .cosine
            result.warmupEpochs = 1
            result.labelSmoothing = 0.1
            result.averagingDecay = 0.99
            result.dropout = 0.3
        }
        return result
    }

    /// The recipe's augmentation (nil for none).
    public var augmentation: AugmentationPipeline? {
        switch self {
        case .reference: return nil
        case .robust: return TrainingRecipe.robustAugmentation
        }
    }

    /// The recipe that `config` and `augmentation` follow in every setting a recipe decides, or nil when they
    /// follow none (a setting changed since).
    public static func matching(_ config: TrainingConfig, augmentation: AugmentationPipeline?) -> TrainingRecipe? {
        allCases.first { $0.configured(config) == config && $0.augmentation == augmentation }
    }
}

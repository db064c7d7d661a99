/// The settings a run trained with from one epoch on: its first `train`, or a later `train` of the same model after
/// the settings or the augmentation changed. A run's settings history tells which epochs ran with which settings.
public struct RunSettings: Sendable, Equatable, Codable {
    /// The first epoch (1-based) trained with these settings.
    public var fromEpoch: Int
    /// Every training setting.
    public var config: TrainingConfig
    /// The augmentation pipeline as written (`augment jitter, scale`), nil for none.
    public var augmentation: String?

    /// Settings in effect from `fromEpoch` on.
    public init(fromEpoch: Int, config: TrainingConfig, augmentation: String?) {
        self.fromEpoch = fromEpoch
        self.config = config
        self.augmentation = augmentation
    }

    /// Whether these settings train the same way as `other` (the first epoch aside).
    public func trainsLike(_ other: RunSettings) -> Bool { config == other.config && augmentation == other.augmentation }

    private enum CodingKeys: String, CodingKey {
        case fromEpoch = "from_epoch", config, augmentation
    }
}

import HARKit

/// What `set` says besides the new value: when a setting takes effect where that is not at once (and, for `amp`, what
/// it resolves to on this machine), and a warning where a legal value is almost surely a mistake (`set lr 10`, `set amp
/// on` on a CPU without bfloat16 arithmetic).
enum SettingAdvice {
    /// When `key` takes effect in `session` (the settings already changed), where that is later than now: `val` and
    /// `seed` choose the validation subjects of the next `load`, `dropout` and `seed` the next `model`'s layers and weights;
    /// for `amp`, the precision training computes in on this machine, and why.
    static func note(for key: String, in session: Session) -> String? {
        switch key {
        case "val":
            guard let dataset = session.dataset else { return "applies at the next 'load'" }
            let held = dataset.subjects(in: .validation).map(String.init).joined(separator: " ")
            return "applies at the next 'load': the loaded \(dataset.name) keeps val "
                + "\(ConfigKey.format(dataset.protocolDescription.validationFraction))"
                + (held.isEmpty ? " (no validation windows)" : " (validation subjects \(held))")
        case "seed":
            return "applies to the next 'load' (validation subjects), 'model' (weights) and 'train' (shuffling, dropout)"
        case "dropout":
            return session.model.map { "applies to the next 'model': \($0.spec) keeps the dropout it was built with" }
        case "amp":
            return "training computes in \(PrecisionChoice.onThisMachine(session.config.mixedPrecision))"
        case "sync_bn":
            return ConfigKey.syncBatchNormNote
        default:
            return nil
        }
    }

    /// A warning when the value of `key` in `config` is legal but almost surely a mistake.
    static func warning(for key: String, in config: TrainingConfig) -> String? {
        switch key {
        case "lr" where config.learningRate >= 1:
            return "lr \(ConfigKey.format(config.learningRate)) is far above the usual 1e-4 … 1e-2; training will almost surely diverge"
        case "lr" where config.learningRate < 1e-6:
            return "lr \(config.learningRate) is far below the usual 1e-4 … 1e-2; the weights will barely change"
        case "wd" where config.weightDecay >= 1:
            return "wd \(ConfigKey.format(config.weightDecay)) is far above the usual 1e-4 … 1e-1; it will shrink the weights towards zero"
        case "amp":
            return PrecisionChoice.onThisMachine(config.mixedPrecision).warning
        default:
            return nil
        }
    }
}

extension TrainingConfig {
    /// The settings a recipe or the imbalance and fine-tuning options decide, each as `set` names it and only where it
    /// differs from the reference recipe, e.g. `["schedule cosine", "warmup 1", "label_smoothing 0.1", "ema 0.99",
    /// "class_weights balanced", "sampler balanced", "stem_lr 0"]`; empty for the reference recipe.
    public var recipeSummary: [String] {
        let reference = TrainingConfig()
        func number(_ value: Double) -> String { TableValue.number(value, digits: nil).display }
        var parts: [String] = []
        if schedule != reference.schedule { parts.append("schedule \(schedule.rawValue)") }
        if let warmupEpochs { parts.append("warmup \(warmupEpochs)") }
        if labelSmoothing != reference.labelSmoothing { parts.append("label_smoothing \(number(labelSmoothing))") }
        if let averagingDecay { parts.append("ema \(number(averagingDecay))") }
        if let classWeights { parts.append("class_weights \(classWeights)") }
        if let sampler, sampler != .shuffle { parts.append("sampler \(sampler.rawValue)") }
        if let stemLearningRate, stemLearningRate != 1 { parts.append("stem_lr \(number(stemLearningRate))") }
        return parts
    }
}

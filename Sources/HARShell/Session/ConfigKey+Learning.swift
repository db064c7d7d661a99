import HARKit

extension ConfigKey {
    /// `set class_weights balanced|NAME:W,…|off`: the cross-entropy's per-class weights (`NAME=W` reads as an option
    /// to the shell, so the weights are written with a colon, or quoted).
    static let classWeights = ConfigKey(
        name: "class_weights", meaning: "per-class loss weights: balanced (inverse frequency in train), NAME:W,… (others 1), or off",
        domain: "balanced, NAME:W[,NAME:W…] or off", completions: ["balanced", "off"],
        read: { $0.classWeights?.description ?? "off" },
        write: { config, text in
            if text.lowercased() == "off" { config.classWeights = nil; return }
            do { config.classWeights = try ClassWeights.parse(text) } catch let error as TuningError {
                throw ShellError("invalid value '\(text)' for class_weights: \(error.message)")
            }
        })

    /// `set sampler shuffle|balanced`: how a training epoch draws its windows.
    static let sampler = ConfigKey(
        name: "sampler", meaning: "how an epoch draws training windows: shuffle (each once) or balanced (classes equally often)",
        domain: Sampler.allCases.map(\.rawValue).joined(separator: "|"), completions: Sampler.allCases.map(\.rawValue),
        read: { ($0.sampler ?? .shuffle).rawValue },
        write: { config, text in
            guard let value = Sampler(rawValue: text.lowercased()) else {
                throw ShellError(Suggestion.unknown("sampler", text, among: Sampler.allCases.map(\.rawValue)))
            }
            config.sampler = value == .shuffle ? nil : value
        })

    /// `set stem_lr F`: the stem's learning rate as a multiple of `lr` (0 freezes its weights; 1, the default, trains it as the rest).
    static let stemLearningRate = ConfigKey(
        name: "stem_lr", meaning: "the convolutional stem's learning rate as a multiple of lr (0: frozen), for fine-tuning",
        domain: "a number ≥ 0", completions: ["0", "0.1", "1"],
        read: { format($0.stemLearningRate ?? 1) },
        write: { config, text in
            guard let value = finiteNumber(text), value >= 0 else { throw invalid("stem_lr", text, "a number ≥ 0") }
            config.stemLearningRate = value == 1 ? nil : value
        })

    /// The loaded dataset's check of `class_weights`: explicit weights must name its classes.
    /// - Throws: `ShellError` at `offset` naming the unknown class and the classes there are.
    static func checkClassWeights(_ config: TrainingConfig, against dataset: HARDataset?, at offset: Int) throws {
        guard let weighting = config.classWeights, let dataset else { return }
        do { _ = try weighting.weights(for: dataset) } catch let error as TuningError { throw ShellError(error.message, at: offset) }
    }

    /// `, class_weights balanced, sampler balanced` for `status`'s config line: the imbalance settings that are on.
    static func imbalanceSummary(_ config: TrainingConfig) -> String {
        (config.classWeights.map { ", class_weights \($0)" } ?? "") + (config.sampler.map { ", sampler \($0.rawValue)" } ?? "")
    }
}

import HARKit

/// `train … seeds=N`: the same training repeated with N seeds, reported as one result (mean ± std).
extension Interpreter {
    /// Trains `count` fresh models of the current spec for `epochs` epochs with seeds from the configured one on and
    /// evaluates each on the test split, saying each seed's figures as it finishes; the current model stays as it was.
    /// - Throws: `ShellError` without a model or dataset; training errors.
    func trainSeeds(_ count: Int, epochs: Int, _ arguments: Arguments) throws -> RepeatedTraining {
        let model = try currentModel(for: arguments)
        let dataset = try currentDataset(for: arguments)
        let repeated: RepeatedSeeds
        do { repeated = try RepeatedSeeds(count: count, epochs: epochs) } catch let error as TuningError {
            throw ShellError(error.message, at: arguments.command.offset)
        }
        output.text("training \(count) fresh \(model.spec) models on \(dataset.name), seeds \(session.config.seed)…"
                    + "\(session.config.seed &+ UInt64(count - 1)), \(epochs) epoch\(epochs == 1 ? "" : "s") each — Ctrl-C stops")
        let result = try repeated.run(dataset: dataset, spec: model.spec, config: session.config, augmentation: session.augmentation,
                                      recording: recording(of: "a seed"), progress: { [output] member in
            output.text("seed \(member.seed): accuracy \(TrainingView.fixed(member.metrics.accuracy * 100, 2))%, "
                        + "macro F1 \(TrainingView.fixed(member.metrics.f1Macro, 3))")
        }, shouldStop: shouldStop)
        return RepeatedTraining(repetition: result)
    }
}

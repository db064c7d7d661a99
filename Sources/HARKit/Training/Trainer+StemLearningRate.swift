import Torch

extension Trainer {
    /// The parameters of the model's convolutional stem (PyTorch names under `body.`), which `config.stemLearningRate`
    /// slows down or freezes; empty for a model without a stem.
    var stemParameters: [Tensor] { model.namedParameters().filter { $0.name.hasPrefix("body.") }.map(\.tensor) }

    /// One optimizer step, the stem's share of it scaled by `config.stemLearningRate`: its parameters end at
    /// before + scale · (stepped − before), which is exactly a learning rate `scale` times smaller for the stem with
    /// AdamW (its decoupled decay included), Adam and SGD (their steps are linear in the learning rate); a scale of 0
    /// leaves the stem's weights as they were (its batch-norm statistics still follow the data seen).
    func stepOptimizer() throws {
        guard let scale = config.stemLearningRate, scale != 1 else { return try optimizer.step() }
        let stem = stemParameters
        let before = try withNoGrad { try stem.map { try $0.cloned() } }
        try optimizer.step()
        try withNoGrad {
            for (parameter, start) in zip(stem, before) {
                if scale == 0 {
                    try parameter.assign(start)
                } else {
                    try parameter.multiply(by: scale)
                    try parameter.add(start, alpha: 1 - scale)
                }
            }
        }
    }
}

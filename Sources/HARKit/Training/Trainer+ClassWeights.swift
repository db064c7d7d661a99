import Torch

extension Trainer {
    /// The loss's class weights (`config.classWeights` resolved against the training split) as a `[K]` tensor of
    /// `dtype`, or nil when every class weighs 1.
    /// - Throws: `TuningError` when explicit weights name a class the dataset does not have.
    func classWeightTensor(dtype: DType) throws -> Tensor? {
        guard let weighting = config.classWeights else { return nil }
        let weights = try weighting.weights(for: dataset)
        return try Tensor(weights.map(Float.init), shape: [weights.count]).converted(to: dtype)
    }
}

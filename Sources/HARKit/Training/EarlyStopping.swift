import Torch

/// Watches validation macro F1; keeps a copy of the best weights and says when patience has run out.
final class EarlyStopping {
    let patience: Int
    let minDelta: Double
    private(set) var bestScore = -Double.infinity
    private(set) var bestEpoch: Int?
    private var bestWeights: StateDict?
    private var epochsWithoutImprovement = 0

    init(patience: Int, minDelta: Double) { (self.patience, self.minDelta) = (patience, minDelta) }

    /// Whether early stopping is on.
    var isEnabled: Bool { patience > 0 }

    /// Records an epoch's score; returns true when training should stop.
    func update(score: Double?, epoch: Int, model: any HARModel) throws -> Bool {
        guard isEnabled, let score else { return false }
        if score > bestScore + minDelta {
            bestScore = score
            bestEpoch = epoch
            bestWeights = try model.stateDict().cloned()
            epochsWithoutImprovement = 0
            return false
        }
        epochsWithoutImprovement += 1
        return epochsWithoutImprovement >= patience
    }

    /// Puts the best epoch's weights back into `model`.
    func restoreBest(into model: any HARModel) throws {
        if let bestWeights { try model.loadState(bestWeights) }
    }
}

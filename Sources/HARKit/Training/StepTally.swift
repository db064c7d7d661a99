/// What one training step adds to its epoch's figures: alone, this process's step; in a data-parallel job, the sum
/// over the ranks, which travels in the step's one all-reduce beside the gradients (see `DataParallel.finishStep`).
struct StepTally: Equatable {
    /// The loss × windows of the steps whose loss was finite.
    var weightedLoss = 0.0
    /// Windows classified correctly.
    var correct = 0.0
    /// Windows trained on.
    var windows = 0.0
    /// How many ranks' loss was not finite.
    var nonFiniteRanks = 0.0
    /// How many ranks were asked to stop.
    var stoppingRanks = 0.0

    /// The fields in the order the all-reduce carries them.
    var values: [Double] {
        get { [weightedLoss, correct, windows, nonFiniteRanks, stoppingRanks] }
        set { (weightedLoss, correct, windows, nonFiniteRanks, stoppingRanks) = (newValue[0], newValue[1], newValue[2], newValue[3], newValue[4]) }
    }

    /// Adds `step`'s loss, correct windows and windows to these (an epoch's running totals).
    mutating func add(_ step: StepTally) {
        weightedLoss += step.weightedLoss
        correct += step.correct
        windows += step.windows
    }
}

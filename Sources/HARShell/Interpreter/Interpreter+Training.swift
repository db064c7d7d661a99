import Foundation
import HARKit

/// What the training commands (Commands/Training: train, tune, cv) share: the epoch budget.
extension Interpreter {
    /// `requested` epochs times `epochScale`, at least 1 and at most `Int.max`: `set epochs 9223372036854775807`
    /// once trapped converting the product back to an integer (found by the full command fuzz).
    func scaledEpochs(_ requested: Int) -> Int {
        let scaled = (Double(requested) * epochScale).rounded()
        if scaled.isNaN { return requested }
        return scaled >= Double(Int.max) ? Int.max : max(1, Int(scaled))
    }
}

/// Applies a `SmoothingRule` to a sequence of predicted class indices, one at a time.
public struct PredictionSmoother: Sendable {
    /// The rule applied.
    public let rule: SmoothingRule
    private var recent: [Int] = []
    private var shown: Int?
    private var candidate: Int?
    private var candidateRun = 0

    /// A smoother with no history.
    public init(rule: SmoothingRule) { self.rule = rule }

    /// Takes the next prediction and returns the label to show now.
    public mutating func smooth(_ label: Int) -> Int {
        let next: Int
        switch rule {
        case .none:
            next = label
        case .majority(let k):
            recent.append(label)
            if recent.count > k { recent.removeFirst(recent.count - k) }
            var counts: [Int: Int] = [:]
            for value in recent { counts[value, default: 0] += 1 }
            let best = counts.values.max() ?? 0
            if let shown, counts[shown] == best { next = shown } else { next = recent.last { counts[$0] == best } ?? label }
        case .minimumDuration(let n):
            if label == candidate { candidateRun += 1 } else { (candidate, candidateRun) = (label, 1) }
            next = shown == nil || candidateRun >= n ? label : shown!
        }
        shown = next
        return next
    }

    /// Forgets the history (after the stream's window restarts).
    public mutating func reset() { self = PredictionSmoother(rule: rule) }
}

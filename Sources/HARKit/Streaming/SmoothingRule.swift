/// How a stream's per-hop predictions are smoothed into the label it shows.
public enum SmoothingRule: Sendable, Equatable {
    /// No smoothing: the smoothed label is the prediction.
    case none
    /// The most frequent prediction among the last `k` (ties go to the label shown already, then the latest).
    case majority(Int)
    /// A new prediction becomes the label only once it has been predicted `n` times in a row.
    case minimumDuration(Int)

    /// Parses `none`, `majority:K` / `vote:K` or `min:N` / `duration:N` (K, N ≥ 1).
    /// - Throws: `StreamError` naming the text when it is none of these.
    public init(parsing text: String) throws {
        let parts = text.lowercased().split(separator: ":", maxSplits: 1).map(String.init)
        if parts == ["none"] { self = .none; return }
        guard parts.count == 2, let count = Int(parts[1]), count >= 1 else {
            throw StreamError("smoothing '\(text)' is not one of none, majority:K, min:N (K, N ≥ 1)")
        }
        switch parts[0] {
        case "majority", "vote": self = .majority(count)
        case "min", "duration": self = .minimumDuration(count)
        default: throw StreamError("smoothing '\(text)' is not one of none, majority:K, min:N (K, N ≥ 1)")
        }
    }

    /// `none`, `majority:K` or `min:N`, as `init(parsing:)` reads it.
    public var text: String {
        switch self {
        case .none: "none"
        case .majority(let k): "majority:\(k)"
        case .minimumDuration(let n): "min:\(n)"
        }
    }
}

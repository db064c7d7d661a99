/// How a training epoch draws its windows.
public enum Sampler: String, Sendable, Codable, CaseIterable {
    /// Every window once, in a shuffled order.
    case shuffle
    /// As many windows as the split has, each class drawn equally often (a rare class's windows repeat within the
    /// epoch, a frequent class's are subsampled), in a shuffled order.
    case balanced
}

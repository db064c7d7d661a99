/// Where a recorded run stands.
public enum RunStatus: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Training is under way.
    case running
    /// Every requested epoch ran.
    case finished
    /// Early stopping ended training; the best epoch's weights were kept.
    case stoppedEarly = "stopped early"
    /// The user stopped training.
    case cancelled
    /// Training failed (an error, or a diverging loss).
    case failed
    /// The process recording the run ended without recording how the run ended (killed, or the machine stopped).
    case interrupted

    /// The status that ends a run which stopped for `reason`.
    public init(_ reason: StopReason) {
        switch reason {
        case .completed: self = .finished
        case .earlyStopped: self = .stoppedEarly
        case .cancelled: self = .cancelled
        case .diverged: self = .failed
        }
    }

    public var description: String { rawValue }
}

/// One epoch of a training run.
public struct EpochRecord: Sendable, Equatable, Codable {
    /// 1-based epoch number, counted over the model's whole life (continuing across `train` calls).
    public var epoch: Int
    /// Mean cross-entropy over the epoch's batches (without penalties).
    public var trainLoss: Double
    /// Mean L1 + L2 penalty added to the loss (0 when both are off).
    public var penaltyLoss: Double
    /// Accuracy on the training batches as seen during the epoch (augmented, dropout on).
    public var trainAccuracy: Double
    /// Validation loss, accuracy and macro F1 after the epoch (nil without a validation split).
    public var validationLoss: Double?
    public var validationAccuracy: Double?
    public var validationMacroF1: Double?
    /// Learning rate used during the epoch.
    public var learningRate: Double
    /// Wall-clock seconds of the epoch, validation included.
    public var seconds: Double
    /// Training windows per second over the epoch's batches.
    public var windowsPerSecond: Double
}

/// Why a training run ended.
public enum StopReason: Sendable, Equatable, Codable, CustomStringConvertible {
    /// All requested epochs ran.
    case completed
    /// Validation macro F1 did not improve for `patience` epochs; the best epoch's weights were restored.
    case earlyStopped(bestEpoch: Int)
    /// The user asked to stop; weights are those of the last finished batch.
    case cancelled
    /// The loss became NaN or infinite; the weights of the last good epoch were restored.
    case diverged(String)

    public var description: String {
        switch self {
        case .completed: return "completed"
        case .earlyStopped(let best): return "early stop (best epoch \(best) restored)"
        case .cancelled: return "cancelled"
        case .diverged(let message): return "diverged: \(message)"
        }
    }
}

/// What happened during `train`, for a UI.
public enum TrainingEvent {
    /// An epoch begins with `batches` batches.
    case epochStarted(epoch: Int, batches: Int)
    /// A batch finished; `loss` is the running mean loss of the epoch so far.
    case batchFinished(epoch: Int, batch: Int, batches: Int, loss: Double)
    /// An epoch finished with these figures.
    case epochFinished(EpochRecord)
}

/// The result of one `train` call.
public struct TrainingOutcome: Sendable {
    /// The epochs this call ran.
    public let records: [EpochRecord]
    /// Why it ended.
    public let reason: StopReason
    /// The epoch whose weights the model holds now, when they are not the last batch's
    /// (early stopping's best epoch, or the last good epoch after divergence).
    public let restoredEpoch: Int?
}

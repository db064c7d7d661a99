/// Everything that shapes a training run, with the reference recipe as defaults
/// (AdamW lr 5e-4, weight decay 1e-3, StepLR every epochs/3 halving, batch 128).
public struct TrainingConfig: Sendable, Equatable, Codable {
    /// Which optimizer updates the weights.
    public enum OptimizerKind: String, Sendable, Codable, CaseIterable { case adamw, adam, sgd }
    /// How the learning rate changes over epochs.
    public enum ScheduleKind: String, Sendable, Codable, CaseIterable { case step, cosine, none }

    /// Learning rate.
    public var learningRate = 5e-4
    /// Windows per training batch.
    public var batchSize = 128
    /// Epochs a plain `train` runs.
    public var epochs = 30
    public var optimizer = OptimizerKind.adamw
    /// Weight decay (decoupled for AdamW, L2 in the gradient for Adam and SGD).
    public var weightDecay = 1e-3
    /// SGD momentum.
    public var momentum = 0.9
    /// L1 penalty weight on all weights, added to the loss and reported separately.
    public var l1 = 0.0
    /// L2 penalty weight on all weights, added to the loss and reported separately.
    public var l2 = 0.0
    /// Dropout probability for models that have dropout layers; nil keeps the model's own.
    public var dropout: Double?
    public var schedule = ScheduleKind.step
    /// StepLR period in epochs; nil means a third of the epochs (the reference).
    public var stepSize: Int?
    /// StepLR factor.
    public var gamma = 0.5
    /// Early-stopping patience in epochs; 0 turns early stopping off.
    public var patience = 0
    /// The smallest validation improvement that resets patience.
    public var minDelta = 0.0
    /// Fraction of the training windows (or subjects) held out for validation.
    public var validationFraction = 0.1
    /// Mixed precision: bfloat16 autocast where the CPU computes bfloat16 (`auto`), always or never; see `PrecisionChoice`.
    /// (The JSON key stays `mixedPrecision`; the `true`/`false` of older files reads as `on`/`off`.)
    public var mixedPrecision = PrecisionMode.auto
    /// Seed for weights, shuffling, augmentation and dropout.
    public var seed: UInt64 = 0
    /// libtorch intra-op threads; nil leaves libtorch's choice.
    public var threads: Int?
    /// Gradient-norm clipping threshold; nil turns clipping off.
    public var clipNorm: Double?
    /// Label smoothing of the cross-entropy loss.
    public var labelSmoothing = 0.0
    /// The folder every run's TensorBoard log goes to (an absolute path), one subfolder per run; nil logs nothing.
    public var tensorBoardDirectory: String?
    // recipe
    /// Epochs of linear learning-rate warm-up before the schedule (nil: none). Epoch e < W of a run trains at
    /// lr·(e + 1)/(W + 1); the schedule then runs over the remaining epochs. Optional so that configurations stored
    /// before it existed read back, and the reference recipe's JSON is unchanged.
    public var warmupEpochs: Int?
    /// Decay of an exponential moving average of the weights, updated after every optimizer step (the n-th with
    /// decay min(d, (1 + n)/(10 + n))), which replaces the trained weights at the end of a `train` call (nil: off).
    public var averagingDecay: Double?
    // learn
    /// Per-class weights of the cross-entropy loss; nil weighs every class 1. (Optional, as the fields below, so that
    /// configs stored before it existed still decode.)
    public var classWeights: ClassWeights?
    /// How each training epoch draws its windows; nil is `Sampler.shuffle`.
    public var sampler: Sampler?
    /// The stem's learning rate as a multiple of `learningRate` (0 freezes the stem's weights); nil is 1.
    public var stemLearningRate: Double?
    // syncbn
    /// Whether batch norm in a data-parallel `train` normalises with the whole global batch's statistics, summed over
    /// the ranks (synchronised batch norm, `DataParallel.synchronizeBatchNorm`); nil or false: with each rank's share's,
    /// as PyTorch's DDP. One process trains on the whole batch either way.
    public var syncBatchNorm: Bool?

    /// The reference recipe.
    public init() {}

    /// The StepLR period in effect for a run of `epochs` epochs.
    public func effectiveStepSize(epochs: Int) -> Int { stepSize ?? Swift.max(1, epochs / 3) }
}

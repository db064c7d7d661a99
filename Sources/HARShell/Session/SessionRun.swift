import HARKit

/// One run of this session: a model trained (over one or more `train` commands) on a dataset, with its
/// configuration, epochs and evaluations.
public struct SessionRun {
    /// 1-based number within the session.
    public var id: Int
    /// The dataset's name.
    public var dataset: String
    /// The model spec as written.
    public var model: String
    /// The settings of the latest `train` of this run.
    public var config: TrainingConfig
    /// The precision the latest `train` of this run computed in (nil before its first `train`).
    public var precision: TrainingPrecision?
    /// The augmentation in effect, if any.
    public var augmentation: String?
    /// Every epoch, in order.
    public var epochs: [EpochRecord] = []
    /// Why the latest `train` ended.
    public var stopped: StopReason?
    /// The latest evaluation, if any.
    public var evaluation: Evaluation?
    /// The model object the run trains. Weak: once that model is replaced or dropped the run is over, and a model built
    /// later in the memory it freed is never taken for it (an `ObjectIdentifier` kept here once was, and `train` then
    /// continued the old run with the new model).
    public weak var trainedModel: (any HARModel)?
    /// The run's id in the run store, when recorded there.
    public var storeID: Int64?
    /// Which settings trained which epochs (a new entry whenever a later `train` changed them).
    public var settings: [RunSettings] = []
    /// The run's label: what made it when not `train` ("tune: best trial 3 …", "checkpoint model.pt …"), or what `label` set.
    public var label: String?
    /// The trained weights the run's model started from (`model from`); nil for fresh weights.
    public var source: ModelSource?

    /// Adds `latest` to the settings history unless it trains like the latest entry.
    public mutating func record(_ latest: RunSettings) {
        if let last = settings.last, last.trainsLike(latest) { return }
        settings.append(latest)
    }

    /// One `eval` of the run's model.
    public struct Evaluation {
        /// The split evaluated (`test`, `val`, `train`).
        public var split: String
        /// Accuracy, P/R/F1, confusion.
        public var metrics: ClassificationMetrics
        /// Batch-1 latency and throughput.
        public var timing: InferenceTiming?
    }

    /// What a later `train` changed (e.g. "epoch 4: learningRate 0.0005→0.0001"), nil when nothing did.
    public var changes: String? {
        RunTable.changes(settings: settings)
    }

    /// Seconds spent in training epochs.
    public var trainSeconds: Double { epochs.reduce(0) { $0 + $1.seconds } }

    /// The run as a row of `runs`, `compare` and `export`.
    public var json: JSONValue {
        var fields: [(String, JSONValue)] = [
            ("id", .int(id)), ("store_id", storeID.map { .int(Int($0)) } ?? .null), ("dataset", .string(dataset)), ("model", .string(model)),
            ("lr", .double(config.learningRate)), ("batch", .int(config.batchSize)), ("optimizer", .string(config.optimizer.rawValue)),
            ("augmentation", augmentation.map(JSONValue.string) ?? .null),
            ("weight_decay", .double(config.weightDecay)), ("dropout", config.dropout.map(JSONValue.double) ?? .null),
            ("seed", .string(String(config.seed))), ("label", label.map(JSONValue.string) ?? .null),
            ("changes", changes.map(JSONValue.string) ?? .null),
            ("source_run", source?.run.map { .int(Int($0)) } ?? .null), ("source_checkpoint", source.map { .string($0.checkpoint) } ?? .null),
            ("epochs", .int(epochs.count)), ("final_train_loss", epochs.last.map { .double($0.trainLoss) } ?? .null),
            ("train_seconds", .double(trainSeconds)), ("train_precision", precision.map { .string($0.rawValue) } ?? .null),
        ]
        if let evaluation {
            let m = evaluation.metrics
            fields += [("split", .string(evaluation.split)), ("accuracy", .double(m.accuracy)),
                       ("precision_macro", .double(m.precisionMacro)), ("recall_macro", .double(m.recallMacro)),
                       ("f1_macro", .double(m.f1Macro)), ("f1_weighted", .double(m.f1Weighted)),
                       ("latency_ms_p50", evaluation.timing.map { .double($0.latencyP50) } ?? .null)]
        }
        return .object(fields)
    }
}

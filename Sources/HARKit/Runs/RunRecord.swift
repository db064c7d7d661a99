import Foundation

/// One recorded training run as the run store holds it.
public struct RunRecord: Sendable, Equatable, Codable {
    /// The store's id for the run (1, 2, …).
    public var id: Int64
    /// The dataset's short name (e.g. "uci-har").
    public var dataset: String
    /// The dataset's preprocessing protocol as JSON text (window, overlap, split, normalisation statistics, …).
    public var datasetProtocol: String
    /// The model spec as written (`ModelSpec.description`, e.g. "sa+lstm hidden=128").
    public var model: String
    /// Every training setting of the run (its seed included).
    public var config: TrainingConfig
    /// The library versions that produced the run (`HARKit.versions`).
    public var versions: [String: String]
    /// The machine the run ran on.
    public var host: String
    /// A free-form tag, e.g. "tune trial 3" or "cv fold 2/5".
    public var label: String?
    /// When training began.
    public var startedAt: Date
    /// When the run ended (nil while running).
    public var endedAt: Date?
    /// Where the run stands.
    public var status: RunStatus
    /// Why a run failed or stopped, as text.
    public var message: String?
    /// Epochs recorded for the run.
    public var epochCount: Int
    /// Training loss of the last recorded epoch.
    public var finalTrainLoss: Double?
    /// Wall-clock seconds of training (the sum of the epochs' seconds while the run has not ended).
    public var trainSeconds: Double
    /// Test metrics, once evaluated.
    public var testMetrics: ClassificationMetrics?
    /// Inference latency and throughput, once measured.
    public var inference: InferenceTiming?
    /// Where the run's checkpoint was saved, if it was.
    public var checkpointPath: String?
    /// A whole result or a member of one.
    public var kind: RunKind = .train
    /// The group result this run is a member of (a fold's cross-validation, a trial's search), if any.
    public var groupID: Int64?
    /// The augmentation of the run's latest `train`, as written; nil for none.
    public var augmentation: String?
    /// Which settings trained which epochs, oldest first (one entry unless a later `train` changed them).
    public var settings: [RunSettings] = []
    /// For a cross-validation or repeated seeds: the mean ± std of its members' test figures.
    public var spread: ResultSpread?
    /// The precision the run trained in (`amp` as it resolved on the run's machine); nil when the store does not say.
    public var precision: TrainingPrecision? = nil
    /// The trained weights the run started from (`model from`); nil for a model with fresh weights.
    public var source: ModelSource? = nil

    /// The run's seed (also in `config`).
    public var seed: UInt64 { config.seed }

    /// Test accuracy: the run's own, or its members' mean for a group result.
    public var accuracy: Double? { testMetrics?.accuracy ?? spread?.accuracyMean }
    /// Test macro F1: the run's own, or its members' mean for a group result.
    public var f1Macro: Double? { testMetrics?.f1Macro ?? spread?.f1MacroMean }
}

/// What the store needs to know when a run begins.
public struct RunStart: Sendable, Equatable {
    /// The dataset's short name.
    public var dataset: String
    /// The dataset's preprocessing protocol as JSON text.
    public var datasetProtocol: String
    /// The model spec as written.
    public var model: String
    /// Every training setting.
    public var config: TrainingConfig
    /// The precision the run trains in.
    public var precision: TrainingPrecision
    /// A free-form tag.
    public var label: String?
    /// When training began.
    public var startedAt: Date
    /// The producing library versions.
    public var versions: [String: String]
    /// The machine.
    public var host: String
    /// A whole result or a member of one.
    public var kind: RunKind = .train
    /// The group result the run belongs to, if any.
    public var groupID: Int64?
    /// The augmentation pipeline as written, nil for none.
    public var augmentation: String?
    /// The trained weights the run starts from (`model from`); nil for fresh weights.
    public var source: ModelSource?

    /// A run of `model` on `dataset` (its protocol recorded as JSON) with `config` and `augmentation`, starting now
    /// on this machine, in the precision `config.mixedPrecision` resolves to here; `kind` and `groupID` place it in a
    /// group result.
    public init(dataset: HARDataset, model: ModelSpec, config: TrainingConfig, augmentation: String? = nil, label: String? = nil,
                kind: RunKind = .train, groupID: Int64? = nil) {
        self.init(dataset: dataset.name, datasetProtocol: (try? RunJSON.text(dataset.protocolDescription)) ?? "{}",
                  model: model.description, config: config, augmentation: augmentation, label: label, kind: kind, groupID: groupID)
    }

    /// A run of `model` on `dataset` with `config` and `augmentation`, starting now on this machine with this library,
    /// in `precision` (by default what `config.mixedPrecision` resolves to on this machine, as the trainer resolves it);
    /// `kind` and `groupID` place it in a group result.
    public init(dataset: String, datasetProtocol: String = "{}", model: String, config: TrainingConfig, augmentation: String? = nil,
                precision: TrainingPrecision? = nil, label: String? = nil, kind: RunKind = .train, groupID: Int64? = nil,
                startedAt: Date = Date(),
                versions: [String: String] = HARKit.versions, host: String = ProcessInfo.processInfo.hostName) {
        self.dataset = dataset
        self.datasetProtocol = datasetProtocol
        self.model = model
        self.config = config
        self.precision = precision ?? PrecisionChoice.onThisMachine(config.mixedPrecision).precision
        self.label = label
        self.startedAt = startedAt
        self.versions = versions
        self.host = host
        self.augmentation = augmentation
        self.kind = kind
        self.groupID = groupID
    }
}

/// What the store records when a run ends.
public struct RunEnd: Sendable, Equatable {
    /// How the run ended.
    public var status: RunStatus
    /// Why, as text (the stop reason or the error).
    public var message: String?
    /// Wall-clock seconds of training.
    public var trainSeconds: Double
    /// When it ended.
    public var endedAt: Date

    /// An end with `status` after `trainSeconds`, now.
    public init(status: RunStatus, message: String? = nil, trainSeconds: Double, endedAt: Date = Date()) {
        self.status = status
        self.message = message
        self.trainSeconds = trainSeconds
        self.endedAt = endedAt
    }

    /// The end of a training that stopped for `reason` after `trainSeconds`, now: its status, with the reason as the
    /// message unless the training completed.
    public init(after reason: StopReason, trainSeconds: Double) {
        self.init(status: RunStatus(reason), message: reason == .completed ? nil : reason.description, trainSeconds: trainSeconds)
    }
}

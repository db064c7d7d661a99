import Foundation
import HARKit

/// What a session sends its workers for one command (`train`, `cv`, `tune`): the state the command runs in — the
/// dataset's `load`, the model's spec, the settings and augmentation — and the command as written. A worker makes
/// its own session match (loading and building only what changed since the last job), then runs the command
/// through its interpreter like a rank of an env-launched job. Weights are not sent: rank 0 broadcasts its own at
/// the start of every `train`, and the fingerprint check there catches a worker whose data or model differ.
struct WorkerJob: Codable, Equatable {
    /// The model the workers build: its spec, and a number that changes whenever the session's model object does
    /// (a new `model`, `load model`, or the model `tune` kept), so that a worker rebuilds then and only then.
    struct ModelPlan: Codable, Equatable {
        /// The spec's name part (`sa+lstm`).
        var name: String
        /// The spec's options (`hidden` → 64).
        var options: [String: Double]
        /// The window shape and class count it is built for.
        var input: InputShape
        /// Which of the session's models this is, counted from 1.
        var generation: Int

        /// The spec, parsed again on the worker.
        func spec() throws -> ModelSpec { try ModelSpec(name, options: options.mapValues { "\($0)" }) }
    }

    /// What a worker does with its trainer (the optimizer state of its model) before the command.
    enum TrainerPlan: String, Codable {
        /// Keeps it: it mirrors the session's (the ranks made it in a `train` they shared).
        case kept
        /// Drops it: the session has none, or the command makes its own (`cv`, `tune`).
        case fresh
        /// Takes the session's, sent with the job (`Checkpoint.bytes(of:)`): the session made it without these workers.
        case sent
    }

    /// `quit` ends the workers; a job with a command runs it.
    var quit = false
    /// The current dataset's `load`; nil when the session has no dataset (the worker drops its own).
    var dataset: DatasetSource?
    /// The current model; nil when the session has none.
    var model: ModelPlan?
    /// The session's settings (the worker writes no TensorBoard log).
    var config = TrainingConfig()
    /// The augmentation, as `augment` writes it; nil when off.
    var augmentation: String?
    /// What the worker does with its trainer.
    var trainer = TrainerPlan.fresh
    /// The session's `HAR_EPOCHS_SCALE`, so that every rank runs the same number of epochs.
    var epochScale = 1.0
    /// The command, as written.
    var command = ""

    /// The job that ends the workers.
    static let ending = WorkerJob(quit: true)
}

/// A worker's answer to one step of a job: nil `error` when it went well.
struct WorkerReply: Codable, Equatable {
    /// What failed, as the worker's interpreter said it.
    var error: String?
}

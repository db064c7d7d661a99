import Foundation
import HARKit

/// `status`: dataset, model, optimizer, config and last run at a glance.
struct StatusCommand: ShellCommand {
    static let spec = CommandSpec("status", family: .session, usage: "status",
                                  summary: "dataset, model, optimizer, config and last run at a glance",
                                  examples: ["status"], replayable: false)

    /// The session at a glance.
    struct Status: CommandOutput {
        /// The current dataset.
        var dataset: HARDataset?
        /// The current model.
        var model: (any HARModel)?
        /// The augmentation in effect.
        var augmentation: AugmentationPipeline?
        /// The settings.
        var config: TrainingConfig
        /// Whether a trainer (with its optimizer state) is live.
        var hasTrainer: Bool
        /// The threads libtorch computes with, when the shell has applied the setting.
        var threads: ThreadBudget?
        /// The session's latest run.
        var lastRun: SessionRun?
        /// The script commands are recorded to.
        var recording: URL?

        /// `sgd lr 0.0005 wd 0, schedule none (live)`.
        var optimizer: String {
            "\(config.optimizer.rawValue) lr \(ConfigKey.named("lr")!.read(config)) wd \(ConfigKey.named("wd")!.read(config))"
                + ", schedule \(config.schedule.rawValue)" + (hasTrainer ? " (live)" : "")
        }

        /// One labelled line per part of the session.
        func lines(in layout: TextLayout) -> [String] {
            let dataset = dataset.map { "\($0.name): \(counted($0.count, "window")) of \($0.windowLength)×\($0.channelCount), \(counted($0.classNames.count, "class", plural: "classes"))" }
            let model = model.map { "\($0.spec): \(counted($0.parameterCount, "parameter"))" }
            let run = lastRun.map { run in
                "#\(run.id) \(run.model) on \(run.dataset), \(counted(run.epochs.count, "epoch"))"
                    + (run.evaluation.map { ", \($0.split) accuracy \(TableValue.percentage($0.metrics.accuracy).display)" } ?? "")
            }
            return ["dataset    \(dataset ?? "none loaded")", "model      \(model ?? "none built")",
                    "augment    \(augmentation?.description ?? "off")", "optimizer  \(optimizer)",
                    "config     batch \(config.batchSize), epochs \(config.epochs), seed \(config.seed)",
                    "threads    \(threads?.description ?? "\(ThreadBudget.inEffect) (libtorch's own choice)")",
                    "last run   \(run ?? "none")"]
                + (recording.map { ["recording  \($0.path)"] } ?? [])
        }

        /// `dataset`, `model`, `augmentation`, `optimizer`, `config`, `run`, `recording`, `threads`.
        var result: CommandResult {
            CommandResult(command: "status", fields: [
                ("dataset", dataset.map { .string($0.name) } ?? .null),
                ("model", model.map { .string($0.spec.description) } ?? .null),
                ("augmentation", augmentation.map { .string($0.description) } ?? .null),
                ("optimizer", .string(optimizer)), ("config", ConfigKey.json(config)),
                ("run", lastRun?.json ?? .null),
                ("recording", recording.map { .string($0.path) } ?? .null),
                ("threads", .int(threads?.count ?? ThreadBudget.inEffect)),
            ])
        }
    }

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> Status {
        let session = shell.session
        return Status(dataset: session.dataset, model: session.model, augmentation: session.augmentation, config: session.config,
                      hasTrainer: session.trainer != nil, threads: shell.threadBudget, lastRun: session.runs.last,
                      recording: session.recording)
    }
}

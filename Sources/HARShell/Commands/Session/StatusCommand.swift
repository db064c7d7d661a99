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
        /// The current model's run; nil when there is no model or it belongs to no run.
        var currentRun: SessionRun?
        /// The script commands are recorded to.
        var recording: URL?
        /// What `amp` resolves to on this machine, and why.
        var precision: PrecisionChoice
        /// Where libtorch's CPU tensors get their memory.
        var allocator: CPUAllocatorChoice
        /// The session's workers (`set workers N`).
        var workers: WorkersStatus
        /// The CPU, the `ATEN_CPU_CAPABILITY` cap and the instruction sets libtorch and the fused kernels use.
        var instructionSets: CPUInstructionSets
        /// What float arithmetic does with subnormal numbers on this thread.
        var denormals: DenormalHandling

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
                    "config     batch \(config.batchSize), epochs \(config.epochs), seed \(config.seed)" + ConfigKey.imbalanceSummary(config),
                    "threads    \(threads?.description ?? "\(ThreadBudget.inEffect) (libtorch's own choice)")",
                    "precision  \(precision)", "memory     \(allocator)", "cpu        \(instructionSets)",
                    "floats     \(denormals)", "workers    \(workers.line)",
                    "last run   \(run ?? "none")"]
                + currentLines
                + (recording.map { ["recording  \($0.path)"] } ?? [])
        }

        /// Which run the current model is: none (its evaluations are not recorded), or the run `tune` or `load model`
        /// made it.
        private var currentLines: [String] {
            if model != nil, currentRun == nil {
                return ["current    the current model belongs to no run (not trained since 'model'; its evaluations are not recorded)"]
            }
            guard let currentRun, let label = currentRun.label else { return [] }
            return ["current    run #\(currentRun.id): \(label)"]
        }

        /// `dataset`, `model`, `augmentation`, `optimizer`, `config`, `run`, `current_run`, `recording`, `threads`,
        /// `train_precision`, `train_precision_reason`, `cpu_allocator`, `cpu_cache_limit`, `cpu`, `cpu_features`,
        /// `cpu_capability_cap`, `libtorch_cpu_capability`, `fused_kernels`, `denormals` (`flushed`, `kept` or null),
        /// `workers`, `worker_address`, `worker_pids`.
        var result: CommandResult {
            CommandResult(command: "status", fields: [
                ("dataset", dataset.map { .string($0.name) } ?? .null),
                ("model", model.map { .string($0.spec.description) } ?? .null),
                ("augmentation", augmentation.map { .string($0.description) } ?? .null),
                ("optimizer", .string(optimizer)), ("config", ConfigKey.json(config)),
                ("run", lastRun?.json ?? .null), ("current_run", currentRun.map { .int($0.id) } ?? .null),
                ("recording", recording.map { .string($0.path) } ?? .null),
                ("threads", .int(threads?.count ?? ThreadBudget.inEffect)),
                ("train_precision", .string(precision.precision.rawValue)), ("train_precision_reason", .string(precision.reason)),
                ("cpu_allocator", .string(allocator.name)), ("cpu_cache_limit", allocator.caching ? .int(allocator.limitBytes) : .null),
                ("cpu", .string(instructionSets.cpu.model)), ("cpu_features", .array(instructionSets.cpu.features.map { .string($0) })),
                ("cpu_capability_cap", instructionSets.cpu.capNote.map { .string($0) } ?? .null),
                ("libtorch_cpu_capability", .string(instructionSets.libtorch)), ("fused_kernels", .string(instructionSets.fusedKernels)),
                ("denormals", denormals.name.map { .string($0) } ?? .null),
            ] + workers.fields)
        }
    }

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> Status {
        let session = shell.session
        return Status(dataset: session.dataset, model: session.model, augmentation: session.augmentation, config: session.config,
                      hasTrainer: session.trainer != nil, threads: shell.threadBudget, lastRun: session.runs.last,
                      currentRun: session.currentRun, recording: session.recording,
                      precision: .onThisMachine(session.config.mixedPrecision), allocator: .current, workers: WorkersStatus(shell),
                      instructionSets: .current, denormals: .current)
    }
}

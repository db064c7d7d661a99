import HARKit

/// `status`: dataset, model, optimizer, config and last run at a glance.
struct StatusCommand: ShellCommand {
    static let spec = CommandSpec("status", family: .session, usage: "status",
                                  summary: "dataset, model, optimizer, config and last run at a glance",
                                  examples: ["status"], replayable: false)

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> CommandResult { try shell.status(arguments) }
}

private extension Interpreter {
    func status(_ arguments: Arguments) throws -> CommandResult {
        let config = session.config
        let optimizer = "\(config.optimizer.rawValue) lr \(ConfigKey.named("lr")!.read(config)) wd \(ConfigKey.named("wd")!.read(config))"
            + ", schedule \(config.schedule.rawValue)" + (session.trainer == nil ? "" : " (live)")
        let dataset = session.dataset.map { "\($0.name): \($0.count) windows of \($0.windowLength)×\($0.channelCount), \($0.classNames.count) classes" }
        let model = session.model.map { "\($0.spec): \($0.parameterCount) parameters" }
        let run = session.runs.last.map { run in
            "#\(run.id) \(run.model) on \(run.dataset), \(run.epochs.count) epochs"
                + (run.evaluation.map { ", \($0.split) accuracy \(TrainingView.fixed($0.metrics.accuracy * 100, 2))%" } ?? "")
        }
        output.text("dataset    \(dataset ?? "none loaded")")
        output.text("model      \(model ?? "none built")")
        output.text("augment    \(session.augmentation?.description ?? "off")")
        output.text("optimizer  \(optimizer)")
        output.text("config     batch \(config.batchSize), epochs \(config.epochs), seed \(config.seed)")
        output.text("threads    \(threadBudget?.description ?? "\(ThreadBudget.inEffect) (libtorch's own choice)")")
        output.text("last run   \(run ?? "none")")
        if session.model != nil, session.currentRun == nil {
            output.text("current    the current model belongs to no run (not trained since 'model'; its evaluations are not recorded)")
        } else if let current = session.currentRun, let label = current.label {
            output.text("current    run #\(current.id): \(label)")
        }
        if let recording = session.recording { output.text("recording  \(recording.path)") }
        return CommandResult(command: "status", fields: [
            ("dataset", session.dataset.map { .string($0.name) } ?? .null),
            ("model", session.model.map { .string($0.spec.description) } ?? .null),
            ("augmentation", session.augmentation.map { .string($0.description) } ?? .null),
            ("optimizer", .string(optimizer)), ("config", configJSON(config)),
            ("run", session.runs.last?.json ?? .null), ("current_run", session.currentRun.map { .int($0.id) } ?? .null),
            ("recording", session.recording.map { .string($0.path) } ?? .null),
            ("threads", .int(threadBudget?.count ?? ThreadBudget.inEffect)),
        ])
    }
}

import Foundation

extension RunTable {
    /// The `runs` list: every run with everything that shaped it — kind and group, dataset, window and split, model,
    /// the trained weights it started from (`model from`: the run and the checkpoint file), label, training settings
    /// (optimizer, lr, batch, weight decay, dropout, schedule, warm-up, label smoothing, EMA, augmentation, class
    /// weights, sampler, the stem's learning-rate multiple, seed, the precision it trained in, and the settings changes
    /// of a later `train`), status, epochs, test accuracy and F1 (a group's mean, with its std), training time. A group's
    /// members (a cross-validation's folds, a search's trials, repeated seeds) follow it.
    public static func runs(_ runs: [RunRecord]) -> RunTable {
        let columns = [("id", "run"), ("kind", "kind"), ("group", "of"), ("dataset", "dataset"), ("window", "window"),
                       ("split", "split"), ("model", "model"), ("source_run", "from run"), ("source_checkpoint", "from checkpoint"),
                       ("label", "label"), ("optimizer", "optimizer"), ("lr", "lr"),
                       ("batch", "batch"), ("weight_decay", "wd"), ("dropout", "dropout"), ("schedule", "schedule"), ("warmup", "warm-up"),
                       ("label_smoothing", "smoothing"), ("ema", "ema"), ("augmentation", "augmentation"), ("class_weights", "class weights"),
                       ("sampler", "sampler"), ("stem_lr", "stem lr"),
                       ("seed", "seed"), ("train_precision", "trained in"), ("changes", "changes"), ("epochs", "epochs"), ("status", "status"),
                       ("accuracy", "accuracy"), ("accuracy_std", "± acc"), ("f1_macro", "F1"), ("f1_macro_std", "± F1"),
                       ("train_seconds", "train s"), ("started", "started")]
        let rows = groupedOrder(runs).map { run -> [TableValue] in
            let data = dataProtocol(run), config = run.config
            return [.integer(run.id), .text(run.kind.rawValue), run.groupID.map(TableValue.integer) ?? .missing, .text(run.dataset),
                    data.map { .integer(Int64($0.window)) } ?? .missing, data.map { .text($0.split) } ?? .missing,
                    .text(run.model), run.source?.run.map(TableValue.integer) ?? .missing, run.source.map { .text($0.checkpoint) } ?? .missing,
                    run.label.map(TableValue.text) ?? .missing, .text(config.optimizer.rawValue),
                    .number(config.learningRate, digits: nil), .integer(Int64(config.batchSize)),
                    .number(config.weightDecay, digits: nil), config.dropout.map { .number($0, digits: nil) } ?? .missing,
                    .text(config.schedule.rawValue), config.warmupEpochs.map { .integer(Int64($0)) } ?? .missing,
                    .number(config.labelSmoothing, digits: nil), config.averagingDecay.map { .number($0, digits: nil) } ?? .missing,
                    run.augmentation.map(TableValue.text) ?? .missing, config.classWeights.map { .text($0.description) } ?? .missing,
                    .text((config.sampler ?? .shuffle).rawValue), .number(config.stemLearningRate ?? 1, digits: nil),
                    .text(String(config.seed)), run.precision.map { .text($0.rawValue) } ?? .missing,
                    changes(run).map(TableValue.text) ?? .missing, .integer(Int64(run.epochCount)), .text(run.status.rawValue),
                    accuracy(run.accuracy), run.spread.map { accuracy($0.accuracyStd) } ?? .missing,
                    score(run.f1Macro), run.spread.map { score($0.f1MacroStd) } ?? .missing,
                    .number(run.trainSeconds, digits: 1), .text(timestamp(run.startedAt))]
        }
        return RunTable(columns: columns.map(Column.init), rows: rows)
    }

    /// The comparison of the given runs (the best whole result per dataset × model, or runs side by side): kind,
    /// label (a search's names its best trial), what shaped the run in one `settings` cell, test accuracy (a group's mean, with its std), macro precision,
    /// recall and F1, final training loss, training time, inference latency and throughput; with
    /// `differingSettings`, also every training setting whose value differs between the runs.
    public static func comparison(_ runs: [RunRecord], differingSettings: Bool = false) -> RunTable {
        var columns = [("dataset", "dataset"), ("model", "model"), ("id", "run"), ("kind", "kind"), ("label", "label"),
                       ("settings", "settings"), ("accuracy", "accuracy"), ("accuracy_std", "± acc"), ("precision_macro", "precision"),
                       ("recall_macro", "recall"), ("f1_macro", "F1"), ("f1_macro_std", "± F1"),
                       ("final_train_loss", "final loss"), ("train_seconds", "train s"), ("latency_ms_p50", "latency ms"),
                       ("throughput_windows_per_s", "windows/s")]
        let settings = runs.map(settingsText)
        let differing = differingSettings ? Array(Set(settings.flatMap(\.keys))).sorted().filter { key in
            Set(settings.map { $0[key] ?? "" }).count > 1
        } : []
        columns += differing.map { ($0, $0) }
        let rows = runs.enumerated().map { index, run -> [TableValue] in
            comparisonRow(run) + differing.map { settings[index][$0].map(TableValue.text) ?? .missing }
        }
        return RunTable(columns: columns.map(Column.init), rows: rows)
    }

    /// The comparison cells of `run`, before any differing settings.
    private static func comparisonRow(_ run: RunRecord) -> [TableValue] {
        let metrics = run.testMetrics, spread = run.spread
        let precision = metrics?.precisionMacro ?? spread?.precisionMacroMean
        let recall = metrics?.recallMacro ?? spread?.recallMacroMean
        let loss: TableValue = run.finalTrainLoss.map { .number($0, digits: 4) } ?? .missing
        let latency: TableValue = run.inference.map { .number($0.latencyP50, digits: 2) } ?? .missing
        let throughput: TableValue = run.inference.map { .number($0.throughput, digits: 0) } ?? .missing
        let label: TableValue = run.label.map(TableValue.text) ?? .missing
        let accuracyStd: TableValue = spread.map { accuracy($0.accuracyStd) } ?? .missing
        let f1Std: TableValue = spread.map { score($0.f1MacroStd) } ?? .missing
        return [.text(run.dataset), .text(run.model), .integer(run.id), .text(run.kind.rawValue), label, .text(settingsSummary(run)),
                accuracy(run.accuracy), accuracyStd, score(precision), score(recall), score(run.f1Macro), f1Std,
                loss, .number(run.trainSeconds, digits: 1), latency, throughput]
    }

    /// `runs` in id order, except that each group's members follow the group (a member whose group is not among
    /// `runs` keeps its own place).
    static func groupedOrder(_ runs: [RunRecord]) -> [RunRecord] {
        let ids = Set(runs.map(\.id))
        let members = Dictionary(grouping: runs.filter { $0.groupID.map(ids.contains) == true }, by: { $0.groupID! })
        var ordered: [RunRecord] = []
        func place(_ run: RunRecord) {
            ordered.append(run)
            for member in (members[run.id] ?? []).sorted(by: { $0.id < $1.id }) { place(member) }
        }
        for run in runs.sorted(by: { $0.id < $1.id }) where run.groupID.map(ids.contains) != true { place(run) }
        return ordered
    }

    /// What a later `train` of the run changed, e.g. "epoch 4: lr 0.0005→0.0001, augmentation none→jitter";
    /// nil when every epoch ran with the same settings.
    static func changes(_ run: RunRecord) -> String? { changes(settings: run.settings) }

    /// What each entry of a settings history changed from the one before, e.g. "epoch 4: learningRate 0.0005→0.0001";
    /// nil when the history has no changes.
    public static func changes(settings: [RunSettings]) -> String? {
        let steps = zip(settings, settings.dropFirst()).compactMap { earlier, later -> String? in
            let before = settingsText(earlier), after = settingsText(later)
            let changed = Set(before.keys).union(after.keys).sorted().filter { before[$0] != after[$0] }
            guard !changed.isEmpty else { return nil }
            return "epoch \(later.fromEpoch): " + changed.map { "\($0) \(before[$0] ?? "none")→\(after[$0] ?? "none")" }.joined(separator: ", ")
        }
        return steps.isEmpty ? nil : steps.joined(separator: "; ")
    }

    /// What shaped the run, in one cell: "adamw lr 0.0005 batch 128 wd 0.001 dropout 0.2 schedule cosine warmup 1
    /// label_smoothing 0.1 ema 0.99 augment jitter=0.05 seed 0 window 128 split subjects:16,17 from #5 (/runs/sa.ckpt)"
    /// (the recipe's settings only where they differ from the reference), then what a later `train` changed.
    static func settingsSummary(_ run: RunRecord) -> String {
        let config = run.config
        var parts = ["\(config.optimizer.rawValue) lr \(TableValue.number(config.learningRate, digits: nil).display) batch \(config.batchSize)",
                     "wd \(TableValue.number(config.weightDecay, digits: nil).display)"]
        if let dropout = config.dropout { parts.append("dropout \(TableValue.number(dropout, digits: nil).display)") }
        parts += config.recipeSummary
        if let augmentation = run.augmentation { parts.append("augment \(augmentation)") }
        parts.append("seed \(config.seed)")
        if let data = dataProtocol(run) { parts.append("window \(data.window) split \(data.split)") }
        if let source = run.source { parts.append("from \(source)") }
        if let changes = changes(run) { parts.append("(\(changes))") }
        return parts.joined(separator: " ")
    }

    /// The dataset protocol the run recorded (window, split, …), when it can be read.
    private static func dataProtocol(_ run: RunRecord) -> DatasetProtocol? {
        try? RunJSON.value(DatasetProtocol.self, from: run.datasetProtocol, what: "run \(run.id)'s protocol")
    }


    /// An accuracy as people read it everywhere (`eval`, `runs`, `compare`, `cv`): a percentage with 2 decimals.
    static func accuracy(_ value: Double?) -> TableValue { value.map(TableValue.percentage) ?? .missing }

    /// A precision, recall or F1 score as people read it everywhere: a fraction with 3 decimals.
    static func score(_ value: Double?) -> TableValue { value.map { .number($0, digits: 3) } ?? .missing }

    /// Every training setting of `run` (its latest) and its augmentation as text, keyed by configuration name.
    private static func settingsText(_ run: RunRecord) -> [String: String] {
        settingsText(RunSettings(fromEpoch: 1, config: run.config, augmentation: run.augmentation))
    }

    /// Every training setting and the augmentation as text, keyed by configuration name ("learningRate", …).
    private static func settingsText(_ settings: RunSettings) -> [String: String] {
        func describe(_ value: Any) -> String {
            let mirror = Mirror(reflecting: value)
            guard mirror.displayStyle == .optional else { return "\(value)" }
            return mirror.children.first.map { describe($0.value) } ?? "none"
        }
        var text: [String: String] = ["augmentation": settings.augmentation ?? "none"]
        for child in Mirror(reflecting: settings.config).children {
            // Where TensorBoard logs go does not shape a run.
            if let label = child.label, label != "tensorBoardDirectory" { text[label] = describe(child.value) }
        }
        return text
    }

    private static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }
}

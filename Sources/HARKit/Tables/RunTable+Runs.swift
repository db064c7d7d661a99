import Foundation

extension RunTable {
    /// The `runs` list: id, dataset, model, label, key settings, status, epochs, test accuracy and F1, training time.
    public static func runs(_ runs: [RunRecord]) -> RunTable {
        let columns = [("id", "run"), ("dataset", "dataset"), ("model", "model"), ("label", "label"), ("lr", "lr"),
                       ("batch", "batch"), ("seed", "seed"), ("epochs", "epochs"), ("status", "status"),
                       ("accuracy", "accuracy"), ("f1_macro", "F1"), ("train_seconds", "train s"), ("started", "started")]
        let rows = runs.map { run -> [TableValue] in
            [.integer(run.id), .text(run.dataset), .text(run.model), run.label.map(TableValue.text) ?? .missing,
             .number(run.config.learningRate, digits: nil), .integer(Int64(run.config.batchSize)),
             .text(String(run.config.seed)), .integer(Int64(run.epochCount)), .text(run.status.rawValue),
             accuracy(run.testMetrics?.accuracy), score(run.testMetrics?.f1Macro),
             .number(run.trainSeconds, digits: 1), .text(timestamp(run.startedAt))]
        }
        return RunTable(columns: columns.map(Column.init), rows: rows)
    }

    /// The comparison of the given runs (the best per dataset × model, or runs side by side): test accuracy,
    /// macro precision, recall and F1, final training loss, training time, inference latency and throughput;
    /// with `differingSettings`, also every training setting whose value differs between the runs.
    public static func comparison(_ runs: [RunRecord], differingSettings: Bool = false) -> RunTable {
        var columns = [("dataset", "dataset"), ("model", "model"), ("id", "run"), ("accuracy", "accuracy"),
                       ("precision_macro", "precision"), ("recall_macro", "recall"), ("f1_macro", "F1"),
                       ("final_train_loss", "final loss"), ("train_seconds", "train s"), ("latency_ms_p50", "latency ms"),
                       ("throughput_windows_per_s", "windows/s")]
        let settings = runs.map(settingsText)
        let differing = differingSettings ? Array(Set(settings.flatMap(\.keys))).sorted().filter { key in
            Set(settings.map { $0[key] ?? "" }).count > 1
        } : []
        columns += differing.map { ($0, $0) }
        let rows = runs.enumerated().map { index, run -> [TableValue] in
            let metrics = run.testMetrics
            return [.text(run.dataset), .text(run.model), .integer(run.id), accuracy(metrics?.accuracy),
                    score(metrics?.precisionMacro), score(metrics?.recallMacro), score(metrics?.f1Macro),
                    run.finalTrainLoss.map { .number($0, digits: 4) } ?? .missing, .number(run.trainSeconds, digits: 1),
                    run.inference.map { .number($0.latencyP50, digits: 2) } ?? .missing,
                    run.inference.map { .number($0.throughput, digits: 0) } ?? .missing]
                + differing.map { settings[index][$0].map(TableValue.text) ?? .missing }
        }
        return RunTable(columns: columns.map(Column.init), rows: rows)
    }

    /// An accuracy as people read it everywhere (`eval`, `runs`, `compare`, `cv`): a percentage with 2 decimals.
    static func accuracy(_ value: Double?) -> TableValue { value.map(TableValue.percentage) ?? .missing }

    /// A precision, recall or F1 score as people read it everywhere: a fraction with 3 decimals.
    static func score(_ value: Double?) -> TableValue { value.map { .number($0, digits: 3) } ?? .missing }

    /// Every training setting of `run` as text, keyed by its configuration name.
    private static func settingsText(_ run: RunRecord) -> [String: String] {
        func describe(_ value: Any) -> String {
            let mirror = Mirror(reflecting: value)
            guard mirror.displayStyle == .optional else { return "\(value)" }
            return mirror.children.first.map { describe($0.value) } ?? "none"
        }
        var settings: [String: String] = [:]
        for child in Mirror(reflecting: run.config).children {
            if let label = child.label { settings[label] = describe(child.value) }
        }
        return settings
    }

    private static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }
}

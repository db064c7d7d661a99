import Foundation

/// One self-contained HTML page of results: the comparison and runs tables, training curves and epoch times per
/// dataset, confusion matrices, attention maps and tuning trials, all as inline SVG (no scripts, no network).
public struct Report: Sendable {
    /// The page heading.
    public var title: String
    /// Every run listed in the runs table.
    public var runs: [RunRecord]
    /// The runs compared (best per dataset × model, or chosen runs); their curves and confusion matrices are drawn.
    public var compared: [RunRecord]
    /// Epochs of the compared runs by run id.
    public var epochs: [Int64: [EpochRecord]]
    /// Attention maps to show.
    public var attention: [ReportAttention]
    /// Tuning trials to show, if a search ran.
    public var trials: [TrialScore]
    /// Replays to show (`replay`), if any.
    public var replays: [ReplaySummary]
    /// When the page was made.
    public var generatedAt: Date
    /// Test scores per subject of the compared runs that recorded them, by run id.
    public var subjects: [Int64: SubjectScores] = [:]

    /// A report of `runs` comparing `compared`, with their `epochs`, optional attention maps, tuning trials and replay timelines.
    public init(title: String = "harlab report", runs: [RunRecord], compared: [RunRecord], epochs: [Int64: [EpochRecord]],
                attention: [ReportAttention] = [], trials: [TrialScore] = [], replays: [ReplaySummary] = [],
                generatedAt: Date = Date()) {
        self.title = title
        self.runs = runs
        self.compared = compared
        self.epochs = epochs
        self.attention = attention
        self.trials = trials
        self.replays = replays
        self.generatedAt = generatedAt
    }

    /// A report of the store: every run, or the runs `ids` side by side; without ids the best run per dataset × model
    /// is compared.
    /// - Throws: `RunStoreError` for an unknown id or an unreadable store.
    public init(store: RunStore, ids: [Int64] = [], attention: [ReportAttention] = [], trials: [TrialScore] = [],
                replays: [ReplaySummary] = []) throws {
        let runs = ids.isEmpty ? try store.runs() : try store.runs(ids)
        let compared = ids.isEmpty ? try store.bestRuns() : runs
        var epochs: [Int64: [EpochRecord]] = [:]
        for run in compared { epochs[run.id] = try store.epochs(of: run.id) }
        self.init(runs: runs, compared: compared, epochs: epochs, attention: attention, trials: trials, replays: replays)
        for run in compared { subjects[run.id] = try store.subjectScores(of: run.id) }
    }

    /// The page.
    public func html() -> String {
        var sections: [(heading: String, html: String)] = []
        sections.append(section("Comparison", note: compared.isEmpty ? "No evaluated runs yet." : "Test-set figures of whole results: a cv or seeds row is the mean (± std) over its members, a tune row its best trial's; latency is batch-1 p50.",
                                body: compared.isEmpty ? "" : table(RunTable.comparison(compared, differingSettings: true))))
        sections.append(section("Runs", note: runs.isEmpty ? "No runs recorded." : "\(counted(runs.count, "run")).",
                                body: runs.isEmpty ? "" : table(RunTable.runs(runs))))
        for dataset in orderedDatasets {
            let plotted = compared.filter { $0.dataset == dataset && !(epochs[$0.id] ?? []).isEmpty }.map { PlotRun($0, epochs: epochs[$0.id]!) }
            guard !plotted.isEmpty else { continue }
            sections.append(section("Training curves · \(dataset)", note: nil,
                                    body: figure(Plot.trainingHistory(plotted), caption: "Loss and accuracy per epoch; training solid, validation dashed.")
                                        + figure(Plot.epochTimes(plotted), caption: "Wall-clock seconds per epoch, validation included.")))
        }
        let evaluated = compared.filter { $0.testMetrics != nil }
        if !evaluated.isEmpty {
            sections.append(section("Confusion matrices", note: "Counts in the cells; colour is the share of each true class.",
                                    body: grid(evaluated.map { run in
                                        let metrics = run.testMetrics!
                                        return figure(Plot.confusion(metrics.confusion, classNames: metrics.perClass.map(\.name),
                                                                     title: "run \(run.id) · \(run.model) · \(run.dataset)"),
                                                      caption: "Accuracy \(String(format: "%.4f", metrics.accuracy)), macro F1 \(String(format: "%.4f", metrics.f1Macro)).")
                                    })))
        }
        let bySubject = compared.compactMap { run in subjects[run.id].flatMap { $0.rows.isEmpty ? nil : (run, $0) } }
        if !bySubject.isEmpty {
            sections.append(section("Per subject", note: "Test accuracy and macro F1 of each subject; the spread is over subjects, each counted once.",
                                    body: bySubject.map { run, scores in
                                        "<h3>run \(run.id) · \(escape(run.model)) · \(escape(run.dataset))</h3>\n<p class=\"note\">\(escape(scores.summary))</p>\n"
                                            + table(scores.table)
                                    }.joined()))
        }
        if !attention.isEmpty {
            sections.append(section("Spatial attention", note: "Weight of each channel at each (pooled) time step.",
                                    body: grid(attention.map { figure(Plot.attention($0.map, channelNames: $0.channelNames, title: $0.title), caption: nil) })))
        }
        if !replays.isEmpty {
            sections.append(section("Replay", note: "True and predicted activity over time; the predicted band is paler where the model was less sure.",
                                    body: replays.map { figure(Plot.timeline($0.timeline, title: $0.title), caption: $0.caption) }.joined()))
        }
        if !trials.isEmpty {
            let sorted = trials.sorted { ($0.score.isNaN ? -1 : $0.score) > ($1.score.isNaN ? -1 : $1.score) }
            let rows = sorted.map { trial -> [TableValue] in
                [.integer(Int64(trial.trial)), .number(trial.score, digits: 4), .integer(Int64(trial.epochs)),
                 .text(trial.pruned ? "pruned" : "finished"), .text(trial.settings)]
            }
            let trialTable = RunTable(columns: [("trial", "trial"), ("score", "score"), ("epochs", "epochs"), ("outcome", "outcome"), ("settings", "settings")]
                .map(RunTable.Column.init), rows: rows)
            sections.append(section("Tuning", note: "Trials sorted by validation score.", body: figure(Plot.tuningTrials(trials), caption: nil) + table(trialTable)))
        }
        let contents = sections.map { "<a href=\"#\(Report.anchor($0.heading))\">\(escape($0.heading))</a>" }
        let stamp = ISO8601DateFormatter().string(from: generatedAt)
        let versions = HARKit.versions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title))</title>
            <style>
            body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 1240px; color: #222; padding: 0 16px; }
            h1 { font-size: 26px; margin-bottom: 4px; }
            h2 { font-size: 20px; margin-top: 36px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
            p.meta, p.note { color: #555; margin: 4px 0 12px; }
            table { border-collapse: collapse; font-size: 13px; margin: 8px 0 16px; }
            th, td { padding: 4px 10px; border-bottom: 1px solid #e4e4e4; white-space: nowrap; }
            th { background: #f3f3f3; text-align: left; }
            td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
            .scroll { overflow-x: auto; }
            .grid { display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: flex-start; }
            nav { font-size: 14px; margin: 8px 0 0; }
            nav a { color: #1f5fa8; text-decoration: none; }
            figure { margin: 12px 0 24px; }
            figure svg { max-width: 100%; height: auto; }
            figcaption { color: #555; font-size: 13px; }
            </style>
            </head>
            <body>
            <h1>\(escape(title))</h1>
            <p class="meta">Generated \(escape(stamp)) by \(escape(versions)).</p>
            <nav>\(contents.joined(separator: " · "))</nav>
            \(sections.map(\.html).joined(separator: "\n"))
            </body>
            </html>

            """
    }

    /// Writes the page atomically.
    /// - Throws: `ReportError` naming the path when it cannot be written; an existing file is left as it was.
    public func write(to url: URL) throws {
        try OutputFile.write(html(), to: url, what: "report")
    }

    /// Datasets of the compared runs in first-seen order.
    private var orderedDatasets: [String] {
        var seen: [String] = []
        for run in compared where !seen.contains(run.dataset) { seen.append(run.dataset) }
        return seen
    }

    private func section(_ heading: String, note: String?, body: String) -> (heading: String, html: String) {
        (heading, "<section id=\"\(Report.anchor(heading))\">\n<h2>\(escape(heading))</h2>\n" + (note.map { "<p class=\"note\">\(escape($0))</p>\n" } ?? "") + body + "</section>")
    }

    /// A section's fragment id: lower-case letters and digits joined by hyphens ("Training curves · uci-har" → "training-curves-uci-har").
    static func anchor(_ heading: String) -> String {
        heading.lowercased().split { !($0.isLetter || $0.isNumber) }.joined(separator: "-")
    }

    private func figure(_ svg: String, caption: String?) -> String {
        "<figure>\n\(svg)" + (caption.map { "<figcaption>\(escape($0))</figcaption>\n" } ?? "") + "</figure>\n"
    }

    private func grid(_ figures: [String]) -> String { "<div class=\"grid\">\n" + figures.joined() + "</div>\n" }

    private func table(_ table: RunTable) -> String {
        let numeric = table.columns.indices.map { i in table.rows.contains { $0[i].isNumeric } }
        let head = table.columns.enumerated().map { "<th\(numeric[$0.offset] ? " class=\"number\"" : "")>\(escape($0.element.title))</th>" }.joined()
        let body = table.rows.map { row in
            "<tr>" + row.enumerated().map { "<td\(numeric[$0.offset] ? " class=\"number\"" : "")>\(escape($0.element.display))</td>" }.joined() + "</tr>"
        }.joined(separator: "\n")
        return "<div class=\"scroll\"><table>\n<thead><tr>\(head)</tr></thead>\n<tbody>\n\(body)\n</tbody>\n</table></div>\n"
    }

    private func escape(_ text: String) -> String { SVGCanvas.escape(text) }
}

import HARKit

/// `plot history|confusion|attention [to FILE]`: a chart in the terminal, or as an SVG or PNG file.
struct PlotCommand: ShellCommand {
    static let spec = CommandSpec("plot", family: .inspect,
                                  usage: "plot history|confusion|attention|timeline [sample=I|class=NAME] [layer=L] [to FILE.svg|FILE.png]",
                                  summary: "draw a chart in the terminal or to a file",
                                  details: ["FILE.png is the SVG rasterised by rsvg-convert (Debian's librsvg2-bin; scripts/setup.sh installs it).",
                                            "attention takes inspect attention's options and shows the same map.",
                                            "timeline draws the latest replay: true and predicted activity over time, with the confidence."],
                                  examples: ["plot history", "plot confusion to confusion.svg", "plot attention class=walking to walking.png", "plot timeline to timeline.svg"],
                                  keywords: ["history", "confusion", "attention", "timeline"], keywordKind: "plot", positionals: 3,
                                  forms: ["attention": ArgumentForm(positionals: 3, options: InspectCommand.attentionOptions)])

    /// A chart written to a file.
    struct Plotted: CommandOutput {
        /// What was plotted (`history`, `confusion`, `attention`).
        var target: String
        /// The file as written.
        var file: String
        /// The attention map drawn, with the index of its layer.
        var attention: (maps: AttentionMaps, layer: Int)?

        /// `wrote history to FILE`.
        func lines(in layout: TextLayout) -> [String] { ["wrote \(target) to \(file)"] }

        /// `target`, `file`, and for an attention map the fields of `inspect attention`.
        var result: CommandResult {
            CommandResult(command: "plot", fields: [("target", .string(target)), ("file", .string(file))]
                + (attention.map { InspectedAttention.fields($0.maps, layer: $0.layer) } ?? []))
        }
    }

    /// A file written, or a chart in the terminal.
    enum Output: CommandOutputForms {
        case file(Plotted), attention(InspectedAttention), confusion(InspectedConfusion), history(InspectedHistory), timeline(InspectedTimeline)

        var form: any CommandOutput {
            switch self {
            case .file(let plotted): return plotted
            case .attention(let attention): return attention
            case .confusion(let confusion): return confusion
            case .history(let history): return history
            case .timeline(let timeline): return timeline
            }
        }
    }

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> Output { try shell.plot(arguments) }
}

private extension Interpreter {
    func plot(_ arguments: Arguments) throws -> PlotCommand.Output {
        let what = try arguments.required(0, "what to plot").value
        try expectDestination(arguments, after: 1)
        if let file = arguments.positional(2) {
            return .file(try plotFile(what, to: file, arguments))
        }
        switch what {
        case "history": return .history(try inspectHistory(arguments, command: "plot"))
        case "confusion": return .confusion(try inspectConfusion(arguments, command: "plot"))
        case "timeline": return .timeline(InspectedTimeline(command: "plot", summary: try latestReplay(arguments)))
        default: return .attention(try inspectAttention(arguments, command: "plot"))
        }
    }

    /// `plot WHAT to FILE.svg|FILE.png`: the chart as a self-contained SVG file, or that SVG rasterised to PNG.
    func plotFile(_ what: String, to file: Argument, _ arguments: Arguments) throws -> PlotCommand.Plotted {
        guard Plot.fileExtensions.contains(resolve(file.value).pathExtension.lowercased()) else {
            throw ShellError("plots are written as SVG or PNG: name the file FILE.svg or FILE.png", at: file.offset)
        }
        let svg: String
        var attention: (maps: AttentionMaps, layer: Int)?
        switch what {
        case "history":
            guard let run = try runWithHistory(arguments) else {
                throw ShellError("no training history yet: run 'train' first", at: arguments.command.offset)
            }
            svg = Plot.trainingHistory([PlotRun(name: "#\(run.id) \(run.model)", epochs: run.epochs)])
        case "confusion":
            guard let evaluation = session.lastEvaluation else {
                throw ShellError("no evaluation yet: run 'eval' first", at: arguments.command.offset)
            }
            svg = Plot.confusion(evaluation.metrics.confusion, classNames: evaluation.metrics.perClass.map(\.name))
        case "timeline":
            let replay = try latestReplay(arguments)
            svg = Plot.timeline(replay.timeline, title: replay.title)
        default:
            let (maps, layer) = try attentionMaps(arguments)
            let shown = try ReportAttention(maps, layer: layer)
            svg = Plot.attention(shown.map, channelNames: shown.channelNames, title: shown.title)
            attention = (maps, layer)
        }
        do { try Plot.write(svg, to: resolve(file.value)) } catch let error as ReportError {
            throw ShellError(error.message, at: file.offset)
        }
        return PlotCommand.Plotted(target: what, file: file.value, attention: attention)
    }

    /// The session's latest replay, which `plot timeline` draws.
    func latestReplay(_ arguments: Arguments) throws -> ReplaySummary {
        guard let replay = session.lastReplay else {
            throw ShellError("no replay yet: run 'replay test' (or 'replay subject N') first", at: arguments.command.offset)
        }
        return replay
    }
}

import HARKit

/// `replay test|val|train|subject N|recording N`: the loaded dataset's continuous recordings fed through the `stream`
/// path at real time × `speed=`, predicted against true activity as it goes, scored at the end.
struct ReplayCommand: ShellCommand {
    static let options = [OptionSpec("speed", completions: ["1", "10", "max"]), OptionSpec("hop", .integer(1...100_000)),
                          OptionSpec("smooth", completions: ["none", "majority:5", "min:3"])]

    static let spec = CommandSpec(
        "replay", family: .training,
        usage: "replay [test|val|train|subject N|recording N] [speed=X|max] [hop=N] [smooth=none|majority:K|min:N]",
        summary: "replay recordings of the loaded dataset as a live stream through the current model, and score it",
        details: ["The recordings the windows were cut from (of the split, the subject, or recording N in reading order), joined into",
                  "one stream and fed sample by sample through the same path as `stream`: a sliding window of the model's length every",
                  "hop= samples (default: the dataset's stride), the training set's z-score, batch-1 inference, smoothing (smooth=).",
                  "speed=10 plays ten times faster than real time (default 1), speed=max as fast as the model labels.",
                  "At the end (or at Ctrl-C, which keeps the session): per-sample accuracy, macro F1, label switches against the truth's,",
                  "and the mean detection delay after a true change; `plot timeline` draws it."],
        examples: ["replay subject 16 speed=10", "replay test speed=max", "replay recording 3 smooth=none"],
        keywords: ["test", "val", "train", "subject", "recording"], keywordKind: "replay source", positionals: 1, options: options,
        forms: ["subject": ArgumentForm(positionals: 2, options: options), "recording": ArgumentForm(positionals: 2, options: options)])

    /// What is replayed and how, said before the first prediction.
    struct Started: CommandOutput {
        /// What the stream holds (`subject 16: 6 recordings`).
        var source: ReplaySource
        /// Window, hop, normalisation and smoothing.
        var configuration: StreamConfiguration
        /// How fast.
        var speed: ReplaySpeed

        /// `replaying subject 16: 6 recordings (8,832 samples, 176.6 s) at 10× into 128×6 windows every 64 samples, …`.
        func lines(in layout: TextLayout) -> [String] {
            let c = configuration, seconds = Double(source.rows) / c.modelRate
            return ["replaying \(source.description) (\(counted(source.rows, "sample")), \(TrainingView.fixed(seconds, 1)) s) at \(speed) "
                    + "into \(c.windowLength)×\(c.channelNames.count) windows every \(counted(c.hop, "sample")), smoothing \(c.smoothing.text)"
                    + (c.normalization == nil ? ", no normalisation" : "") + "; Ctrl-C stops"]
        }

        /// `event` "start", `source`, `samples`, `seconds`, `speed`, `window`, `hop`, `smoothing`.
        var result: CommandResult {
            let c = configuration
            return CommandResult(command: "replay", fields: [
                ("event", .string("start")), ("source", .string(source.description)), ("samples", .int(source.rows)),
                ("seconds", .double(Double(source.rows) / c.modelRate)), ("speed", speedValue(speed)),
                ("window", .int(c.windowLength)), ("hop", .int(c.hop)), ("smoothing", .string(c.smoothing.text)),
            ])
        }
    }

    /// One prediction against the truth, written the moment it is made (off a terminal or under `--json`).
    struct Predicted: CommandOutput {
        /// The prediction as `stream` writes it.
        var stream: StreamCommand.Predicted
        /// The true class of the window's last sample.
        var truth: String

        /// `stream`'s line (`12.40 s  walking 93%  → walking`), then `true ACTIVITY`, and `✗` when the shown label is wrong.
        func lines(in layout: TextLayout) -> [String] {
            stream.lines(in: layout).map { $0 + "   true \(truth)" + (stream.prediction.smoothedName == truth ? "" : "  ✗") }
        }

        /// `stream`'s fields (`event` "prediction", `time`, `sample`, `activity`, `confidence`, `smoothed`,
        /// `probabilities`), then `truth`.
        var result: CommandResult {
            CommandResult(command: "replay", fields: stream.result.fields + [("truth", .string(truth))])
        }
    }

    /// The finished (or stopped) replay and its metrics.
    struct Replayed: CommandOutput {
        /// The timeline and its metrics.
        var summary: ReplaySummary
        /// How fast it was asked to go.
        var speed: ReplaySpeed
        /// Whether Ctrl-C ended it early.
        var stopped: Bool
        /// Wall-clock seconds it took.
        var seconds: Double

        /// What was replayed and how long it took, the metrics, and where to see the timeline.
        func lines(in layout: TextLayout) -> [String] {
            let timeline = summary.timeline
            return ["replay \(stopped ? "stopped by Ctrl-C" : "done"): \(TrainingView.fixed(timeline.duration, 1)) s of recording "
                    + "(\(counted(timeline.truth.count, "sample")), \(counted(timeline.predictions.count, "prediction"))) "
                    + "in \(TrainingView.fixed(seconds, 1)) s at \(speed)"]
                + InspectedTimeline.metricLines(summary) + ["'plot timeline' draws it (to FILE.svg for the file)"]
        }

        /// `event` "end", `stopped`, `speed`, `wall_seconds`, `predictions`, then the replay's fields
        /// (`InspectedTimeline.fields`: `title`, `seconds`, `samples`, `classes`, `metrics`, `raw_metrics`, segments).
        var result: CommandResult {
            CommandResult(command: "replay", fields: [("event", .string("end")), ("stopped", .bool(stopped)), ("speed", speedValue(speed)),
                                                      ("wall_seconds", .double(seconds)), ("predictions", .int(summary.timeline.predictions.count))]
                          + InspectedTimeline.fields(summary))
        }
    }

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> Replayed { try shell.replay(arguments) }
}

/// `speed` as JSON: the factor, or the string `max`.
private func speedValue(_ speed: ReplaySpeed) -> JSONValue {
    if case .times(let factor) = speed { return .double(factor) }
    return .string("max")
}

private extension Interpreter {
    func replay(_ arguments: Arguments) throws -> ReplayCommand.Replayed {
        let model = try currentModel(for: arguments)
        let dataset = try currentDataset(for: arguments)
        let selection = try replaySelection(arguments)
        var speed = ReplaySpeed.times(1)
        if let word = arguments.option("speed") {
            do { speed = try ReplaySpeed(parsing: word.value) } catch let error as ReplayError { throw ShellError(error.message, at: word.offset) }
        }
        var configuration = StreamConfiguration(dataset: dataset, hop: arguments.integerOption("hop"))
        if let smooth = arguments.option("smooth") {
            do { configuration.smoothing = try SmoothingRule(parsing: smooth.value) } catch let error as StreamError {
                throw ShellError(error.message, at: smooth.offset)
            }
        }
        let source: ReplaySource, recognizer: StreamRecognizer
        do {
            source = try ReplaySource(dataset, selection: selection)
            recognizer = try StreamRecognizer(model: model, configuration: configuration)
        } catch let error as ReplayError {
            throw ShellError(error.message, at: arguments.positional(1)?.offset ?? arguments.positional(0)?.offset ?? arguments.command.offset)
        } catch let error as StreamError {
            throw ShellError(error.message, at: arguments.command.offset)
        }
        if session.modelIsUntrained {
            output.warning("\(model.spec) has never been trained: expect chance predictions (run 'train' first)")
        }
        emit(ReplayCommand.Started(source: source, configuration: configuration, speed: speed))
        var replayer = Replayer(source: source, recognizer: recognizer, speed: speed)
        replayer.shouldStop = shouldStop
        let names = configuration.classNames
        var history: [Int] = []
        replayer.onPrediction = { [self] prediction, truth in
            guard output.showsLiveStatus else {
                emit(ReplayCommand.Predicted(stream: StreamCommand.Predicted(prediction: prediction, names: names), truth: names[truth]))
                return
            }
            history.append(prediction.smoothed)
            if history.count > StreamCommand.barHistory { history.removeFirst() }
            let verdict = "  true \(names[truth]) " + (prediction.smoothed == truth ? style.green("✓") : style.red("✗"))
            let room = output.columns.map { $0 - names[truth].count - 9 }
            output.status(StreamBar.render(history: history, prediction: prediction, style: style, width: room) + verdict)
        }
        let outcome: Replayer.Outcome
        do {
            outcome = try replayer.run()
        } catch {
            output.status(nil)
            throw error
        }
        output.status(nil)
        let summary = ReplaySummary(title: "\(model.spec) · \(dataset.name) · \(source.description)", timeline: outcome.timeline)
        session.lastReplay = summary
        return ReplayCommand.Replayed(summary: summary, speed: speed, stopped: outcome.stopped, seconds: outcome.seconds)
    }

    /// The recordings `test|val|train|subject N|recording N` names (`test` when none is named).
    func replaySelection(_ arguments: Arguments) throws -> ReplaySource.Selection {
        switch arguments.keyword ?? "test" {
        case "val": return .split(.validation)
        case "train": return .split(.train)
        case "subject": return .subject(try arguments.integer(try arguments.required(1, "subject N"), "subject", in: 0...Int.max))
        case "recording": return .recording(try arguments.integer(try arguments.required(1, "recording N"), "recording", in: 1...Int.max))
        default: return .split(.test)
        }
    }
}

import Foundation
import HARKit

/// `stream from FILE|-|tcp:PORT|udp:PORT`: the current model labels a live stream of sensor samples, a prediction
/// every hop, until the input ends, `limit=N` predictions, or Ctrl-C.
struct StreamCommand: ShellCommand {
    static let spec = CommandSpec(
        "stream", family: .training,
        usage: "stream from FILE|-|tcp:[HOST:]PORT|udp:[HOST:]PORT [hop=N] [smooth=none|majority:K|min:N] [rate=HZ] [resample=on|off] [time=s|ms] [limit=N]",
        summary: "label a live sample stream with the current model (a file followed as it grows, stdin, a socket)",
        details: ["One sample per line: the channel values separated by commas, spaces or tabs, optionally led by a timestamp;",
                  "an optional header line names the columns (`time` first for timestamps) and is matched to the model's channels by name.",
                  "Windows of the model's length every hop= samples (default: the dataset's stride), z-scored with the training set's",
                  "statistics, classified one at a time; smooth= shows a majority of the last K predictions or a label once seen N times running.",
                  "The stream's rate is rate= or measured from timestamps; another rate than the model's is resampled by linear",
                  "interpolation (resample=off refuses it). A gap longer than a window restarts the window.",
                  "Sockets listen on 127.0.0.1 unless an address is named (tcp:0.0.0.0:5555). Ctrl-C ends the stream; the session stays."],
        examples: ["stream from samples.csv", "stream from - hop=25", "stream from tcp:5555 smooth=min:3", "stream from udp:5556 rate=50"],
        keywords: ["from"], keywordKind: "word", positionals: 2,
        options: [OptionSpec("hop", .integer(1...100_000)), OptionSpec("smooth", completions: ["none", "majority:5", "min:3"]),
                  OptionSpec("rate"), OptionSpec("resample", completions: ["on", "off"]), OptionSpec("time", completions: ["s", "ms"]),
                  OptionSpec("limit", .integer(1...1_000_000_000))],
        completions: [.keywords, .files], replayable: false)

    /// Seconds without a sample after which the stream says it is waiting.
    static let stallSeconds = 1.0
    /// The longest wait for input between two polls of Ctrl-C.
    static let pollSeconds = 0.1
    /// Smoothed labels kept for the live bar.
    static let barHistory = 200

    /// How the stream began: where it reads from and how it will classify, said before the first prediction.
    struct Started: CommandOutput {
        /// Where the samples come from.
        var source: StreamSource
        /// The port a socket listens on (the one chosen for port 0).
        var port: UInt16?
        /// Window, hop, rates, normalisation and smoothing.
        var configuration: StreamConfiguration

        /// `streaming from … into 125×45 windows every 62 samples (25 Hz), smoothing majority:5; Ctrl-C stops`.
        func lines(in layout: TextLayout) -> [String] {
            let c = configuration
            return ["streaming from \(source) into \(c.windowLength)×\(c.channelNames.count) windows every \(counted(c.hop, "sample")) "
                    + "(\(StreamRate.format(c.modelRate)) Hz), smoothing \(c.smoothing.text)"
                    + (c.normalization == nil ? ", no normalisation" : "") + "; Ctrl-C stops"]
        }

        /// `event` "start", `source`, `port`, `window`, `hop`, `channels`, `classes`, `model_rate_hz`, `smoothing`.
        var result: CommandResult {
            CommandResult(command: "stream", fields: [
                ("event", .string("start")), ("source", .string(source.description)), ("port", port.map { .int(Int($0)) } ?? .null),
                ("window", .int(configuration.windowLength)), ("hop", .int(configuration.hop)),
                ("channels", .array(configuration.channelNames.map(JSONValue.string))),
                ("classes", .array(configuration.classNames.map(JSONValue.string))),
                ("model_rate_hz", .double(configuration.modelRate)), ("smoothing", .string(configuration.smoothing.text)),
            ])
        }
    }

    /// One prediction, written the moment it is made (off a terminal or under `--json`).
    struct Predicted: CommandOutput {
        /// The prediction.
        var prediction: StreamPrediction
        /// The class names, indexed as `prediction.probabilities`.
        var names: [String]

        /// `12.40 s  walking 93%  → walking`.
        func lines(in layout: TextLayout) -> [String] {
            let p = prediction
            return ["\(TrainingView.fixed(p.time, 2)) s  \(p.activityName) \(Int((p.confidence * 100).rounded()))%  → \(p.smoothedName)"]
        }

        /// `event` "prediction", `time`, `sample`, `activity`, `confidence`, `smoothed`, `probabilities` (by class).
        var result: CommandResult {
            let p = prediction
            return CommandResult(command: "stream", fields: [
                ("event", .string("prediction")), ("time", .double(p.time)), ("sample", .int(p.sampleIndex)),
                ("activity", .string(p.activityName)), ("confidence", .double(p.confidence)), ("smoothed", .string(p.smoothedName)),
                ("probabilities", .object(zip(names, p.probabilities).map { ($0, .double($1)) })),
            ])
        }
    }

    /// How the stream ended: counts, the rate found, why it stopped.
    struct Ended: CommandOutput {
        /// Samples accepted.
        var samples: Int
        /// Predictions made.
        var predictions: Int
        /// Malformed lines skipped.
        var skipped: Int
        /// Gaps that restarted the window.
        var restarts: Int
        /// The stream's rate, once decided.
        var rate: StreamRate?
        /// The model's rate.
        var modelRate: Double
        /// The last prediction.
        var last: StreamPrediction?
        /// `end of input`, `limit`, or `Ctrl-C`.
        var stopped: String

        /// `stream ended (Ctrl-C): 1,200 samples, 37 predictions, last walking; 2 lines skipped; rate 25 Hz (measured)…`.
        func lines(in layout: TextLayout) -> [String] {
            var line = "stream ended (\(stopped)): \(counted(samples, "sample")), \(counted(predictions, "prediction"))"
            if let last { line += ", last \(last.smoothedName)" }
            if skipped > 0 { line += "; \(counted(skipped, "malformed line")) skipped" }
            if restarts > 0 { line += "; the window restarted after \(counted(restarts, "gap"))" }
            if let rate { line += "; rate \(rate.summary(modelRate: modelRate))" }
            return [line]
        }

        /// `event` "end", `stopped`, `samples`, `predictions`, `skipped`, `restarts`, `rate_hz`, `rate_source`,
        /// `resampled`, `last`.
        var result: CommandResult {
            CommandResult(command: "stream", fields: [
                ("event", .string("end")), ("stopped", .string(stopped)), ("samples", .int(samples)), ("predictions", .int(predictions)),
                ("skipped", .int(skipped)), ("restarts", .int(restarts)), ("rate_hz", rate.map { .double($0.hertz) } ?? .null),
                ("rate_source", rate.map { .string($0.source.rawValue) } ?? .null), ("resampled", rate.map { .bool($0.resampled) } ?? .null),
                ("last", last.map { .string($0.smoothedName) } ?? .null),
            ])
        }
    }

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> Ended { try shell.stream(arguments) }
}

private extension Interpreter {
    func stream(_ arguments: Arguments) throws -> StreamCommand.Ended {
        let word = try arguments.required(1, "FILE, -, tcp:PORT or udp:PORT")
        let model = try currentModel(for: arguments)
        let dataset = try currentDataset(for: arguments)
        var configuration = StreamConfiguration(dataset: dataset, hop: arguments.integerOption("hop"))
        try readStreamOptions(arguments, into: &configuration)
        let lines: SampleLineStream, input: StreamInput
        do {
            lines = SampleLineStream(recognizer: try StreamRecognizer(model: model, configuration: configuration))
            input = try StreamInput(try StreamSource.parse(word.value) { resolve($0) })
        } catch let error as StreamError {
            throw ShellError(error.message, at: word.offset)
        }
        if session.modelIsUntrained {
            output.warning("\(model.spec) has never been trained: expect chance predictions (run 'train' first)")
        }
        emit(StreamCommand.Started(source: input.source, port: input.port, configuration: configuration))
        replay = .omitted
        do {
            return try follow(input, into: lines, limit: arguments.integerOption("limit"))
        } catch let error as StreamError {
            output.status(nil)
            throw ShellError("\(input.source): \(error.message)", at: word.offset)
        }
    }

    /// Reads `input` into `lines` until it ends, `limit` predictions, or Ctrl-C, drawing or writing each prediction.
    func follow(_ input: StreamInput, into lines: SampleLineStream, limit: Int?) throws -> StreamCommand.Ended {
        let recognizer = lines.recognizer, names = recognizer.configuration.classNames
        var history: [Int] = [], last: StreamPrediction?, lastSample = Date(), waiting = false, rateSaid = false, layoutSaid = false
        var stopped = "Ctrl-C"
        reading: while !shouldStop() {
            let event = try input.next(waiting: StreamCommand.pollSeconds)
            switch event {
            case .lines(let texts):
                (lastSample, waiting) = (Date(), false)
                for text in texts {
                    let outcome = try lines.feed(line: text)
                    if let skip = outcome.skipped { note(skip, of: lines) }
                    if !layoutSaid, let layout = lines.parser.layout {
                        layoutSaid = true
                        if layout.reordered { output.text("the header's channels are in another order than the model's: matched by name") }
                    }
                    if !rateSaid, let rate = recognizer.rate {
                        rateSaid = true
                        if rate.resampled || rate.source == .assumed { output.text("stream rate \(rate.summary(modelRate: recognizer.configuration.modelRate))") }
                    }
                    for prediction in outcome.predictions {
                        last = prediction
                        history.append(prediction.smoothed)
                        if history.count > StreamCommand.barHistory { history.removeFirst() }
                        if output.showsLiveStatus {
                            output.status(StreamBar.render(history: history, prediction: prediction, style: style, width: output.columns))
                        } else {
                            emit(StreamCommand.Predicted(prediction: prediction, names: names))
                        }
                        if let limit, recognizer.predictionCount >= limit { stopped = "limit"; break reading }
                    }
                }
            case .idle:
                let quiet = Date().timeIntervalSince(lastSample)
                guard quiet >= StreamCommand.stallSeconds else { continue }
                if output.showsLiveStatus {
                    output.status(style.dim("waiting for samples from \(input.source) (none for \(Int(quiet)) s; Ctrl-C stops)"))
                } else if !waiting {
                    output.text("waiting for samples from \(input.source) (none for \(Int(quiet)) s; Ctrl-C stops)")
                }
                waiting = true
            case .connected(let peer):
                output.text("\(peer) connected")
                lines.startStretch()
                (lastSample, layoutSaid) = (Date(), false)
            case .disconnected(let peer):
                output.text("\(peer) disconnected; waiting for the next connection")
            case .truncated:
                output.text("\(input.source) was rewritten: reading it again from its start")
                lines.startStretch()
                layoutSaid = false
            case .ended:
                stopped = "end of input"
                break reading
            }
        }
        output.status(nil)
        return StreamCommand.Ended(samples: recognizer.samplesAccepted, predictions: recognizer.predictionCount, skipped: lines.skippedCount,
                                   restarts: recognizer.restarts, rate: recognizer.rate, modelRate: recognizer.configuration.modelRate,
                                   last: last, stopped: stopped)
    }

    /// Says a skipped line: the first few with their reason, then once that later ones are only counted.
    func note(_ skip: MalformedSample, of lines: SampleLineStream) {
        if lines.skippedCount <= SampleLineStream.shownSkips {
            output.text("skipped \(skip.message)")
        }
        if lines.skippedCount == SampleLineStream.shownSkips {
            output.text("further malformed lines are skipped and counted, not shown")
        }
    }

    /// Reads `smooth=`, `rate=`, `resample=` and `time=` into `configuration`.
    func readStreamOptions(_ arguments: Arguments, into configuration: inout StreamConfiguration) throws {
        if let smooth = arguments.option("smooth") {
            do { configuration.smoothing = try SmoothingRule(parsing: smooth.value) } catch {
                throw ShellError("\(error)", at: smooth.offset)
            }
        }
        if let rate = arguments.option("rate") {
            guard let hertz = Double(rate.value), hertz > 0, hertz.isFinite, hertz <= 1_000_000 else {
                throw ShellError("rate '\(rate.value)' is not a sample rate in Hz (a number above 0)", at: rate.offset)
            }
            configuration.declaredRate = hertz
        }
        if let resample = arguments.option("resample") {
            guard let on = ["on": true, "off": false][resample.value.lowercased()] else {
                throw ShellError("resample '\(resample.value)' is not on or off", at: resample.offset)
            }
            configuration.rateMismatch = on ? .resample : .refuse
        }
        if let time = arguments.option("time") {
            guard let scale = ["s": 1.0, "ms": 0.001][time.value.lowercased()] else {
                throw ShellError("time '\(time.value)' is not s or ms (the timestamps' unit)", at: time.offset)
            }
            configuration.timestampScale = scale
        }
    }
}

import HARKit
import Torch

/// Inspection commands: inspect, plot.
extension Interpreter {
    func inspect(_ arguments: Arguments) throws -> CommandResult {
        let what = try arguments.expectKeyword(try arguments.required(0, "what to inspect"), among: arguments.spec.keywords,
                                               kind: "inspect target")
        try arguments.expectOptions(what == "attention" ? ["sample", "class", "layer"] : [])
        try arguments.expectPositionals(what == "predictions" ? 2 : 1)
        switch what {
        case "weights": return try inspectWeights(arguments)
        case "attention": return try inspectAttention(arguments)
        case "confusion": return try inspectConfusion(arguments)
        case "history": return try inspectHistory(arguments)
        default: return try inspectPredictions(arguments)
        }
    }

    func plot(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectOptions([])
        let what = try arguments.expectKeyword(try arguments.required(0, "what to plot"), among: arguments.spec.keywords, kind: "plot")
        try expectDestination(arguments, after: 1)
        if let file = arguments.positional(2) {
            return try plotFile(what, to: file, arguments)
        }
        switch what {
        case "history": return try inspectHistory(arguments, command: "plot")
        case "confusion": return try inspectConfusion(arguments, command: "plot")
        default: return try inspectAttention(arguments, command: "plot")
        }
    }

    /// `plot WHAT to FILE.svg`: the chart as a self-contained SVG file.
    private func plotFile(_ what: String, to file: Argument, _ arguments: Arguments) throws -> CommandResult {
        guard file.value.lowercased().hasSuffix(".svg") else {
            throw ShellError("plots are written as SVG: name the file FILE.svg (PNG is not supported)", at: file.offset)
        }
        let svg: String
        switch what {
        case "history":
            guard let run = session.currentRun ?? session.runs.last, !run.epochs.isEmpty else {
                throw ShellError("no training history yet: run 'train' first", at: arguments.command.offset)
            }
            svg = Plot.trainingHistory([PlotRun(name: "#\(run.id) \(run.model)", epochs: run.epochs)])
        case "confusion":
            guard let evaluation = session.lastEvaluation else {
                throw ShellError("no evaluation yet: run 'eval' first", at: arguments.command.offset)
            }
            svg = Plot.confusion(evaluation.metrics.confusion, classNames: evaluation.metrics.perClass.map(\.name))
        default:
            let model = try currentModel(for: arguments)
            let dataset = try currentDataset(for: arguments)
            do {
                let map = try ReportAttention(model: model, dataset: dataset, split: .test, window: 0)
                svg = Plot.attention(map.map, channelNames: map.channelNames, title: map.title)
            } catch let error as ReportError {
                throw ShellError(error.message, at: arguments.command.offset)
            }
        }
        do { try Plot.write(svg, to: resolve(file.value)) } catch let error as ReportError {
            throw ShellError(error.message, at: file.offset)
        }
        output.text("wrote \(what) to \(file.value)")
        return CommandResult(command: "plot", fields: [("target", .string(what)), ("file", .string(file.value))])
    }

    /// `inspect weights`: each parameter tensor's shape and value statistics.
    func inspectWeights(_ arguments: Arguments) throws -> CommandResult {
        let model = try currentModel(for: arguments)
        var rows: [[String]] = []
        var entries: [JSONValue] = []
        for (name, tensor) in model.namedParameters() {
            let values = try withNoGrad { () -> [Double] in
                [try tensor.mean().item(), try tensor.standardDeviation(unbiased: false).item(),
                 try tensor.min().item(), try tensor.max().item()]
            }
            rows.append([name, tensor.shape.map(String.init).joined(separator: "×"), grouped(tensor.count)]
                        + values.map { TrainingView.fixed($0, 4) })
            entries.append(.object([("name", .string(name)), ("shape", .array(tensor.shape.map { .int($0) })),
                                    ("count", .int(tensor.count)), ("mean", .double(values[0])), ("std", .double(values[1])),
                                    ("min", .double(values[2])), ("max", .double(values[3]))]))
        }
        let table = TextTable(header: ["parameter", "shape", "count", "mean", "std", "min", "max"], rows: rows,
                              alignments: [.left, .left, .right, .right, .right, .right, .right])
        for line in table.render() { output.text(line) }
        return CommandResult(command: "inspect", fields: [("target", .string("weights")), ("parameters", .array(entries))])
    }

    /// `inspect attention`: the spatial attention map (time × channel) of one test window or a class average.
    func inspectAttention(_ arguments: Arguments, command: String = "inspect") throws -> CommandResult {
        let model = try currentModel(for: arguments)
        let dataset = try currentDataset(for: arguments)
        let test = dataset.indices(in: .test).isEmpty ? dataset.indices(in: .train) : dataset.indices(in: .test)
        var chosen: [Int]
        var subject: String
        if let classArgument = arguments.option("class") {
            let label = try classLabel(classArgument, in: dataset)
            chosen = Array(test.filter { dataset.labels[$0] == label }.prefix(256))
            guard !chosen.isEmpty else { throw ShellError("no test windows of class '\(dataset.classNames[label])'", at: classArgument.offset) }
            subject = "mean of \(chosen.count) windows of class \(dataset.classNames[label])"
        } else {
            let sample = try arguments.option("sample").map { try arguments.integer($0, "sample", in: 0...(max(0, test.count - 1))) } ?? 0
            chosen = [test[sample]]
            subject = "test window \(sample) (class \(dataset.classNames[dataset.labels[test[sample]]]))"
        }
        let maps = try attentionMaps(of: model, windows: chosen, in: dataset)
        guard !maps.isEmpty else {
            throw ShellError("model \(model.spec) has no spatial attention map: build one with an attention stem (sa, attn+lstm)",
                             at: arguments.command.offset)
        }
        let layerIndex: Int
        if let layer = arguments.option("layer") {
            if let index = maps.firstIndex(where: { $0.layer == layer.value }) { layerIndex = index } else {
                layerIndex = try arguments.integer(layer, "layer (index or name: \(maps.map(\.layer).joined(separator: ", ")))",
                                                   in: 0...(maps.count - 1))
            }
        } else {
            layerIndex = 0
        }
        let map = maps[layerIndex]
        output.text("attention \(map.layer) (\(map.values.count) steps × \(dataset.channelCount) channels), \(subject)")
        for line in HeatMap.render(map.values, channels: dataset.channelNames, style: style) { output.text(line) }
        return CommandResult(command: command, fields: [
            ("target", .string("attention")), ("layer", .string(map.layer)), ("layers", .array(maps.map { .string($0.layer) })),
            ("windows", .array(chosen.map { .int($0) })), ("channels", .array(dataset.channelNames.map { .string($0) })),
            ("map", .array(map.values.map { .array($0.map { .double($0) }) })),
        ])
    }

    /// The spatial maps of `model` for `windows`, averaged over the windows: per layer a time × channel grid.
    private func attentionMaps(of model: any HARModel, windows: [Int], in dataset: HARDataset) throws -> [(layer: String, values: [[Double]])] {
        let size = dataset.windowSize
        var values: [Float] = []
        values.reserveCapacity(windows.count * size)
        for index in windows { values += dataset.windows[(index * size)..<((index + 1) * size)] }
        let wasTraining = model.isTraining
        model.setTraining(false)
        defer { model.setTraining(wasTraining) }
        return try withInferenceMode {
            _ = try model(try Tensor(values, shape: [windows.count, 1, dataset.windowLength, dataset.channelCount]))
            return try model.attentionMaps.filter { $0.kind == .spatial }.map { map in
                let mean = try map.weights.converted(to: .float32).mean(alongAxes: 0)
                let shape = mean.shape
                let flat = try mean.scalars(as: Float.self)
                let columns = shape.count == 2 ? shape[1] : 1
                let rows = flat.count / max(1, columns)
                return (map.layer, (0..<rows).map { t in (0..<columns).map { Double(flat[t * columns + $0]) } })
            }
        }
    }

    /// The label a `class=` argument names (a class name, its unique prefix, or an index).
    private func classLabel(_ argument: Argument, in dataset: HARDataset) throws -> Int {
        if let index = dataset.classNames.firstIndex(of: argument.value) { return index }
        let prefixed = dataset.classNames.indices.filter { dataset.classNames[$0].hasPrefix(argument.value) }
        if prefixed.count == 1 { return prefixed[0] }
        if let index = Int(argument.value), dataset.classNames.indices.contains(index) { return index }
        throw ShellError(Suggestion.unknown("class", argument.value, among: dataset.classNames), at: argument.offset)
    }

    /// `inspect confusion`: the latest evaluation's confusion matrix.
    func inspectConfusion(_ arguments: Arguments, command: String = "inspect") throws -> CommandResult {
        guard let evaluation = session.lastEvaluation else {
            throw ShellError("no evaluation yet: run 'eval' first", at: arguments.command.offset)
        }
        let metrics = evaluation.metrics
        output.text("confusion on \(evaluation.split.rawValue) (rows: true class, columns: predicted)")
        for line in ConfusionMatrixView.render(metrics.confusion.counts, classes: metrics.perClass.map(\.name), style: style) {
            output.text(line)
        }
        return CommandResult(command: command, fields: [
            ("target", .string("confusion")), ("split", .string(evaluation.split.rawValue)),
            ("classes", .array(metrics.perClass.map { .string($0.name) })),
            ("confusion", .array(metrics.confusion.counts.map { .array($0.map { .int($0) }) })),
        ])
    }

    /// `inspect history`: the current run's curves as a chart and a table.
    func inspectHistory(_ arguments: Arguments, command: String = "inspect") throws -> CommandResult {
        guard let run = session.currentRun ?? session.runs.last, !run.epochs.isEmpty else {
            throw ShellError("no training history yet: run 'train' first", at: arguments.command.offset)
        }
        let epochs = run.epochs
        var series = [LineChart.Series("train loss", epochs.map(\.trainLoss)), LineChart.Series("train acc", epochs.map(\.trainAccuracy))]
        if epochs.contains(where: { $0.validationAccuracy != nil }) {
            series.append(LineChart.Series("val acc", epochs.map { $0.validationAccuracy ?? .nan }))
        }
        output.text("run #\(run.id): \(run.model) on \(run.dataset), \(epochs.count) epochs")
        for line in LineChart.render(series) { output.text(line) }
        return CommandResult(command: command, fields: [
            ("target", .string("history")), ("run", .int(run.id)),
            ("epochs", .array(epochs.map { TrainingView.result($0).json })),
        ])
    }

    /// `inspect predictions [N]`: the first N windows of the latest evaluation with true and predicted class.
    func inspectPredictions(_ arguments: Arguments) throws -> CommandResult {
        guard let evaluation = session.lastEvaluation else {
            throw ShellError("no evaluation yet: run 'eval' first", at: arguments.command.offset)
        }
        let count = try arguments.positional(1).map { try arguments.integer($0, "count", in: 1...Int.max) } ?? 10
        let names = evaluation.metrics.perClass.map(\.name)
        let shown = Array(zip(evaluation.indices, zip(evaluation.labels, evaluation.predictions)).prefix(count))
        let rows = shown.map { index, pair in
            [String(index), names[pair.0], names[pair.1], pair.0 == pair.1 ? "✓" : "✗"]
        }
        for line in TextTable(header: ["window", "true", "predicted", ""], rows: rows).render() { output.text(line) }
        return CommandResult(command: "inspect", fields: [
            ("target", .string("predictions")), ("split", .string(evaluation.split.rawValue)),
            ("predictions", .array(shown.map { index, pair in
                .object([("window", .int(index)), ("true", .string(names[pair.0])), ("predicted", .string(names[pair.1]))])
            })),
        ])
    }

    /// Checks the optional `to FILE` at positional `index`.
    func expectDestination(_ arguments: Arguments, after index: Int) throws {
        guard let word = arguments.positional(index) else { return }
        guard !word.quoted, word.value == "to" else {
            throw ShellError("unexpected argument '\(word.value)' — usage: \(arguments.spec.usage)", at: word.offset)
        }
        _ = try arguments.required(index + 1, "FILE after 'to'")
        try arguments.expectPositionals(index + 2)
    }
}

import HARKit

/// What `inspect` and `plot` (Commands/Inspect) share: the attention maps, confusion matrix and history they show, and `to FILE`.
extension Interpreter {
    /// `inspect attention` / `plot attention`: the spatial attention map (time × channel) of one window of the
    /// test split, or the mean over every test window of a class.
    func inspectAttention(_ arguments: Arguments, command: String = "inspect") throws -> InspectedAttention {
        let (maps, layer) = try attentionMaps(arguments)
        return InspectedAttention(command: command, maps: maps, layer: layer)
    }

    /// The maps `sample=I`, `class=NAME` and `layer=L` ask for, from HARKit's `AttentionMaps` (the computation
    /// `report` uses too), and the index of the layer to show.
    func attentionMaps(_ arguments: Arguments) throws -> (maps: AttentionMaps, layer: Int) {
        let model = try currentModel(for: arguments)
        let dataset = try currentDataset(for: arguments)
        let sample = arguments.option("sample"), classArgument = arguments.option("class")
        if let sample, classArgument != nil {
            throw ShellError("'sample=' and 'class=' exclude each other: one window, or the mean of a class", at: sample.offset)
        }
        let subject: AttentionMaps.Subject
        let split = AttentionMaps.defaultSplit(of: dataset)
        if let classArgument {
            subject = .classLabel(try classLabel(classArgument, in: dataset))
        } else if let sample {
            let windows = dataset.indices(in: split).count
            subject = .window(try arguments.integer(sample, "sample (a \(split.rawValue) window)", in: 0...max(0, windows - 1)))
        } else {
            subject = .window(0)
        }
        let maps: AttentionMaps
        do {
            maps = try AttentionMaps(model: model, dataset: dataset, subject: subject, split: split)
        } catch let error as AttentionError {
            throw ShellError(error.message, at: (classArgument ?? sample)?.offset ?? arguments.command.offset)
        }
        guard let layer = arguments.option("layer") else { return (maps, 0) }
        guard let index = maps.layerIndex(layer.value) else {
            let names = maps.layers.map(\.name)
            throw ShellError("unknown layer '\(layer.value)': name one (\(names.joined(separator: ", "))) or give its index 0…\(names.count - 1)",
                             at: layer.offset)
        }
        return (maps, index)
    }

    /// The label a `class=` argument names (a class name, its unique prefix, or an index).
    private func classLabel(_ argument: Argument, in dataset: HARDataset) throws -> Int {
        if let index = dataset.classNames.firstIndex(of: argument.value) { return index }
        let prefixed = dataset.classNames.indices.filter { dataset.classNames[$0].hasPrefix(argument.value) }
        if prefixed.count == 1 { return prefixed[0] }
        if let index = Int(argument.value), dataset.classNames.indices.contains(index) { return index }
        if prefixed.count > 1 {
            let names = prefixed.map { dataset.classNames[$0] }
            throw ShellError("ambiguous class '\(argument.value)': it could be \(names.dropLast().joined(separator: ", ")) or \(names.last!); "
                             + "write more of the name", at: argument.offset)
        }
        throw ShellError(Suggestion.unknown("class", argument.value, among: dataset.classNames), at: argument.offset)
    }

    /// `inspect confusion` / `plot confusion`: the latest evaluation's confusion matrix.
    func inspectConfusion(_ arguments: Arguments, command: String = "inspect") throws -> InspectedConfusion {
        guard let evaluation = session.lastEvaluation else {
            throw ShellError("no evaluation yet: run 'eval' first", at: arguments.command.offset)
        }
        return InspectedConfusion(command: command, split: evaluation.split, metrics: evaluation.metrics)
    }

    /// `inspect history` / `plot history`: the current run's curves.
    func inspectHistory(_ arguments: Arguments, command: String = "inspect") throws -> InspectedHistory {
        guard let run = session.currentRun ?? session.runs.last, !run.epochs.isEmpty else {
            throw ShellError("no training history yet: run 'train' first", at: arguments.command.offset)
        }
        return InspectedHistory(command: command, run: run)
    }

    /// Checks the optional `to FILE` at positional `index`.
    func expectDestination(_ arguments: Arguments, after index: Int) throws {
        guard let word = arguments.positional(index) else { return }
        guard !word.quoted, word.value == "to" else {
            throw ShellError("unexpected argument '\(word.value)' — usage: \(arguments.spec.usage)", at: word.offset)
        }
        _ = try arguments.required(index + 1, "FILE after 'to'")
    }
}

import Foundation
import HARKit

/// Data commands: datasets, download, load, info, augment.
extension Interpreter {
    func datasets(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectPositionals(0)
        try arguments.expectOptions([])
        var rows: [[String]] = []
        var entries: [JSONValue] = []
        for name in DatasetCatalog.names {
            let aliases = DatasetCatalog.aliases.filter { $0.value == name }.keys.sorted()
            let folder = DatasetCatalog.localFolder(name, dataDirectory: dataDirectory)
            let presence: String
            switch name {
            case "synthetic": presence = "built in"
            case "npy": presence = "any folder: load npy from PATH"
            default: presence = folder == nil ? "absent (download \(name))" : "present"
            }
            rows.append([name, aliases.joined(separator: " "), presence, folder?.path ?? ""])
            entries.append(.object([("name", .string(name)), ("aliases", .array(aliases.map { .string($0) })),
                                    ("present", .bool(folder != nil || name == "synthetic")),
                                    ("path", folder.map { .string($0.path) } ?? .null)]))
        }
        output.text("data dir: \(dataDirectory.path)")
        for line in TextTable(header: ["dataset", "aliases", "status", "path"], rows: rows).render() { output.text(line) }
        return CommandResult(command: "datasets", fields: [("data_dir", .string(dataDirectory.path)), ("datasets", .array(entries))])
    }

    func download(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectPositionals(1)
        try arguments.expectOptions([])
        let argument = try arguments.required(0, "dataset NAME")
        let name = try datasetName(argument)
        let started = Date()
        let result: DatasetDownload
        do {
            result = try DatasetDownloader.download(name, into: dataDirectory, shouldStop: shouldStop) { [output] received, expected in
                output.progress(Progress(label: "download \(name) (KiB)", done: Int(received / 1024),
                                         total: Int((expected ?? received) / 1024), elapsed: Date().timeIntervalSince(started)))
            }
        } catch let error as DatasetError {
            output.progress(nil)
            throw ShellError(error.message, at: argument.offset)
        }
        output.progress(nil)
        output.text(result.summary)
        return CommandResult(command: "download", fields: [("dataset", .string(name)), ("path", .string(result.folder.path)),
                                                           ("sha256", .string(result.sha256)), ("checked", .string(result.check.rawValue))])
    }

    func load(_ arguments: Arguments) throws -> CommandResult {
        let nameArgument = try arguments.required(0, "dataset NAME (or 'model FILE')")
        if !nameArgument.quoted, nameArgument.value == "model" { return try loadModel(arguments) }
        let name = try datasetName(nameArgument)
        try arguments.expectOptions(DatasetOptions.validKeys)
        var path: URL?
        if let second = arguments.positional(1) {
            guard !second.quoted, second.value == "from" else {
                throw ShellError("unexpected argument '\(second.value)' — usage: load NAME [from PATH] [key=value…]", at: second.offset)
            }
            path = resolve(try arguments.required(2, "PATH after 'from'").value)
            try arguments.expectPositionals(3)
        }
        var options: [String: String] = [:]
        for option in arguments.options { options[option.key ?? ""] = option.value }
        if options["seed"] == nil { options["seed"] = String(session.config.seed) }
        if options["validation"] == nil { options["validation"] = String(session.config.validationFraction) }
        let key = ([name, path?.path ?? ""] + options.keys.sorted().map { "\($0)=\(options[$0]!)" }).joined(separator: " ")
        let dataset: HARDataset
        if let cached = session.datasets[key] {
            dataset = cached
        } else {
            do {
                dataset = try DatasetCatalog.load(name, from: path, options: options, dataDirectory: dataDirectory)
            } catch let error as DatasetError {
                throw ShellError(error.message, at: nameArgument.offset)
            }
        }
        session.datasets[key] = dataset
        session.dataset = dataset
        session.trainer = nil
        session.lastEvaluation = nil
        let shape = InputShape(time: dataset.windowLength, channels: dataset.channelCount, classes: dataset.classNames.count)
        output.text("loaded \(dataset.name): \(dataset.count) windows of \(dataset.windowLength)×\(dataset.channelCount) "
                    + "at \(TrainingView.fixed(dataset.sampleRate, 1)) Hz, \(dataset.classNames.count) classes; "
                    + DatasetSplit.allCases.map { "\($0.rawValue) \(dataset.indices(in: $0).count)" }.joined(separator: ", "))
        output.text("protocol: \(dataset.protocolDescription.summary)")
        if let model = session.model, model.inputShape != shape {
            session.dropModel()
            output.text("model \(model.spec) dropped: it was built for \(model.inputShape), this dataset has \(shape)")
        }
        return CommandResult(command: "load", fields: [
            ("dataset", .string(dataset.name)), ("windows", .int(dataset.count)), ("window", .int(dataset.windowLength)),
            ("channels", .int(dataset.channelCount)), ("classes", .int(dataset.classNames.count)),
            ("rate_hz", .double(dataset.sampleRate)),
        ])
    }

    func info(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectPositionals(0)
        try arguments.expectOptions([])
        let dataset = try currentDataset(for: arguments)
        output.text("dataset   \(dataset.name): \(dataset.count) windows, \(dataset.windowLength) steps × \(dataset.channelCount) channels "
                    + "at \(TrainingView.fixed(dataset.sampleRate, 1)) Hz")
        output.text("protocol  \(dataset.protocolDescription.summary)")
        output.text("channels  \(dataset.channelNames.joined(separator: " "))")
        let splits = DatasetSplit.allCases
        let rows = dataset.classNames.enumerated().map { index, name in
            [name] + splits.map { String(dataset.classCounts(in: $0)[index]) }
        }
        for line in TextTable(header: ["class"] + splits.map(\.rawValue), rows: rows,
                              alignments: [.left] + splits.map { _ in .right }).render() {
            output.text(line)
        }
        for split in splits {
            output.text("\(split.rawValue) subjects: \(dataset.subjects(in: split).map(String.init).joined(separator: " "))")
        }
        var fields: [(String, JSONValue)] = [
            ("dataset", .string(dataset.name)), ("window", .int(dataset.windowLength)),
            ("channels", .array(dataset.channelNames.map { .string($0) })),
            ("classes", .array(dataset.classNames.map { .string($0) })), ("rate_hz", .double(dataset.sampleRate)),
        ]
        for split in splits {
            fields.append((split == .validation ? "val" : split.rawValue, .object([
                ("windows", .int(dataset.indices(in: split).count)),
                ("subjects", .array(dataset.subjects(in: split).map { .int($0) })),
                ("class_counts", .array(dataset.classCounts(in: split).map { .int($0) })),
            ])))
        }
        return CommandResult(command: "info", fields: fields)
    }

    func augment(_ arguments: Arguments) throws -> CommandResult {
        let items = arguments.command.arguments
        guard !items.isEmpty else { throw ShellError("missing SPEC — usage: \(arguments.spec.usage)", at: arguments.command.offset) }
        if items.count == 1, items[0].isPositional, items[0].value == "off" {
            session.augmentation = nil
            session.trainer?.augmentation = nil
            output.text("augmentation off")
            return CommandResult(command: "augment", fields: [("augmentation", .null)])
        }
        var steps: [Augmentation] = []
        for item in items {
            let name = item.key ?? item.value
            guard Augmentation.names.contains(name) else {
                throw ShellError(Suggestion.unknown("augmentation", name, among: Augmentation.names), at: item.offset)
            }
            var value: Float?
            if item.key != nil {
                guard let number = Float(item.value), number.isFinite else {
                    throw ShellError("invalid value '\(item.value)' for \(name): expected a number", at: item.offset)
                }
                value = number
            }
            do { steps.append(try Augmentation(name: name, value: value)) } catch let error as DatasetError {
                throw ShellError(error.message, at: item.offset)
            }
        }
        let pipeline = AugmentationPipeline(steps: steps)
        session.augmentation = pipeline
        session.trainer?.augmentation = pipeline
        output.text("augmentation: \(pipeline)")
        return CommandResult(command: "augment", fields: [("augmentation", .string(pipeline.description))])
    }

    /// The canonical dataset name for `argument`, or an error suggesting the nearest.
    func datasetName(_ argument: Argument) throws -> String {
        do { return try DatasetCatalog.canonicalName(argument.value) } catch {
            throw ShellError(Suggestion.unknown("dataset", argument.value, among: Vocabulary.datasets), at: argument.offset)
        }
    }

    /// The current dataset, or an error saying how to load one.
    func currentDataset(for arguments: Arguments) throws -> HARDataset {
        guard let dataset = session.dataset else {
            throw ShellError("no dataset loaded: load one first (e.g. 'load synthetic')", at: arguments.command.offset)
        }
        return dataset
    }

    /// The window shape and class count of the current dataset, which models are built for.
    func currentInputShape(for arguments: Arguments) throws -> InputShape {
        let dataset = try currentDataset(for: arguments)
        return InputShape(time: dataset.windowLength, channels: dataset.channelCount, classes: dataset.classNames.count)
    }
}

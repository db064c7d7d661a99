import Foundation
import HARKit

/// `load NAME [from PATH] [key=value…]` / `load model FILE`: a dataset by its reference protocol, or a checkpoint.
struct LoadCommand: ShellCommand {
    static let spec = CommandSpec("load", family: .data,
                                  usage: "load NAME [from PATH] [window=N] [overlap=F] [split=…] [normalize=on|off] [rate=HZ] | load model FILE",
                                  summary: "load a dataset (its reference protocol unless options say otherwise), or a saved model",
                                  details: ["NAME: synthetic, uci-har (uci), wisdm, pamap2 (pamap), dsads (dasa), opportunity (oppo), npy.",
                                            "split=subjects:7,8 | ratio:8:2 | official. `from PATH` takes the archive's folder or the dataset's own.",
                                            "Without `from`, the data dir (--data-dir, HAR_DATA) is searched.",
                                            "Also: windowing=contiguous|reference, seed=N and validation=F (default: `set seed`, `set val`), cache=off.",
                                            "subjects=6 (or 1,2,3) keeps only those subjects' recordings: `load dsads subjects=6 split=ratio:1:9 validation=0` trains on the first 10% (by time) of subject 6's recordings of each activity and tests on the rest."],
                                  examples: ["load synthetic", "load uci-har", "load wisdm window=128 overlap=0.5",
                                             "load npy from ~/cache/wisdm", "load pamap2 split=subjects:105,106"],
                                  keywords: Vocabulary.datasets + ["model"], positionals: 3,
                                  options: DatasetOptions.validKeys.map { key in
                                      OptionSpec(key, completions: [
                                          "normalize": ["on", "off"], "split": ["official", "subjects:", "ratio:"],
                                          "windowing": ["contiguous", "reference"], "cache": ["off"],
                                      ][key] ?? [])
                                  },
                                  forms: ["model": ArgumentForm(positionals: 2, completions: [.keywords, .files])])

    /// A dataset loaded, and the model it dropped when the shapes differ.
    struct LoadedDataset: CommandOutput {
        /// The dataset, now current.
        var dataset: HARDataset
        /// The model built for another shape, dropped.
        var droppedModel: (any HARModel)?

        /// The dataset's shape, rate, classes and split sizes; its protocol; the dropped model.
        func lines(in layout: TextLayout) -> [String] {
            ["loaded \(dataset.name): \(counted(dataset.count, "window")) of \(dataset.windowLength)×\(dataset.channelCount) "
                + "at \(TrainingView.fixed(dataset.sampleRate, 1)) Hz, \(counted(dataset.classNames.count, "class", plural: "classes")); "
                + DatasetSplit.allCases.map { "\($0.rawValue) \(dataset.indices(in: $0).count)" }.joined(separator: ", "),
             "protocol: \(dataset.protocolDescription.summary)"]
                + (droppedModel.map { ["model \($0.spec) dropped: it was built for \($0.inputShape), this dataset has \(shape)"] } ?? [])
        }

        /// The shape models are built for on this dataset.
        var shape: InputShape {
            InputShape(time: dataset.windowLength, channels: dataset.channelCount, classes: dataset.classNames.count)
        }

        /// `dataset`, `windows`, `window`, `channels` and `classes` (names, as `info` has them), `channel_count`,
        /// `class_count`, `rate_hz`.
        var result: CommandResult {
            CommandResult(command: "load", fields: [
                ("dataset", .string(dataset.name)), ("windows", .int(dataset.count)), ("window", .int(dataset.windowLength)),
                ("channels", .array(dataset.channelNames.map { .string($0) })), ("channel_count", .int(dataset.channelCount)),
                ("classes", .array(dataset.classNames.map { .string($0) })), ("class_count", .int(dataset.classNames.count)),
                ("rate_hz", .double(dataset.sampleRate)),
            ])
        }
    }

    /// A checkpoint loaded as the current model.
    struct LoadedModel: CommandOutput {
        /// The model's spec as built.
        var model: String
        /// The checkpoint as written and where it is.
        var file: String, url: URL
        /// What the checkpoint says of itself.
        var metadata: CheckpointMetadata
        /// Whether a dataset is loaded to train or evaluate it on.
        var hasDataset: Bool
        /// The session run the model became.
        var run: Int
        /// The store run that saved the checkpoint (and still ends where it does), if any.
        var storeRun: Int64?

        /// `loaded sa trained 3 epochs on synthetic from FILE`, naming its store run, with a hint when no dataset is loaded.
        func lines(in layout: TextLayout) -> [String] {
            ["loaded \(metadata.modelName) trained \(counted(metadata.epoch, "epoch")) on \(metadata.dataset.name) from \(file)"
                + (storeRun.map { " (run \($0) in the run store)" } ?? "")
                + (hasDataset ? "" : " (load a dataset with the same channels and classes to train or evaluate it)")]
        }

        /// `model`, `file`, `epochs`, `dataset`, `run`, `store_run`.
        var result: CommandResult {
            CommandResult(command: "load", fields: [
                ("model", .string(model)), ("file", .string(url.path)),
                ("epochs", .int(metadata.epoch)), ("dataset", .string(metadata.dataset.name)),
                ("run", .int(run)), ("store_run", storeRun.map { .int(Int($0)) } ?? .null),
            ])
        }
    }

    /// A dataset or a model.
    enum Output: CommandOutputForms {
        case dataset(LoadedDataset), model(LoadedModel)

        var form: any CommandOutput {
            switch self {
            case .dataset(let loaded): return loaded
            case .model(let loaded): return loaded
            }
        }
    }

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> Output { try shell.load(arguments) }
}

private extension Interpreter {
    func load(_ arguments: Arguments) throws -> LoadCommand.Output {
        let nameArgument = try arguments.required(0, "dataset NAME (or 'model FILE')")
        if !nameArgument.quoted, nameArgument.value == "model" { return .model(try loadModel(arguments)) }
        let name = try datasetName(nameArgument)
        var path: URL?
        if let second = arguments.positional(1) {
            guard !second.quoted, second.value == "from" else {
                throw ShellError("unexpected argument '\(second.value)' — usage: load NAME [from PATH] [key=value…]", at: second.offset)
            }
            path = resolve(try arguments.required(2, "PATH after 'from'").value)
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
        session.datasetSource = DatasetSource(name: name, path: path?.path, options: options)
        session.trainer = nil
        session.lastEvaluation = nil
        var loaded = LoadCommand.LoadedDataset(dataset: dataset)
        if let model = session.model, model.inputShape != loaded.shape {
            session.dropModel()
            loaded.droppedModel = model
        }
        return .dataset(loaded)
    }

    func loadModel(_ arguments: Arguments) throws -> LoadCommand.LoadedModel {
        let file = try arguments.required(1, "FILE")
        let url = resolve(file.value)
        do {
            let checkpoint = try Checkpoint(contentsOf: url)
            let metadata = checkpoint.metadata
            let logFolder = session.config.tensorBoardDirectory
            session.dropModel()
            if let dataset = session.dataset {
                let trainer = try checkpoint.makeTrainer(dataset: dataset, augmentation: session.augmentation)
                session.model = trainer.model
                session.trainer = trainer
                session.config = trainer.config
            } else {
                session.model = try checkpoint.makeModel()
                session.config = metadata.config
            }
            // Where TensorBoard logs go is this session's choice, not the checkpoint's.
            session.config.tensorBoardDirectory = logFolder
            // The run that saved this file, while it still ends where the file does (a run trained on after its
            // save is another model now).
            let saver = runStore.flatMap { store in try? store.run(checkpointPath: url.path) }
            let saved = saver.flatMap { $0.epochCount == metadata.history.count ? $0 : nil }
            let label = saved.map { "checkpoint \(file.value) of run \($0.id)" }
                ?? saver.map { "checkpoint \(file.value) of run \($0.id) at epoch \(metadata.history.count); that run trained on to epoch \($0.epochCount)" }
                ?? "checkpoint \(file.value), saved by no recorded run"
            adoptCurrentModel(dataset: metadata.dataset.name, config: session.config, epochs: metadata.history, storeID: saved?.id, label: label)
            return LoadCommand.LoadedModel(model: session.model?.spec.description ?? metadata.modelName, file: file.value, url: url,
                                           metadata: metadata, hasDataset: session.dataset != nil, run: session.runs.count, storeRun: saved?.id)
        } catch let error as CheckpointError {
            throw ShellError(error.message, at: file.offset)
        }
    }
}

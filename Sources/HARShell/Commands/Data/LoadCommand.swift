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
                                            "Also: windowing=contiguous|reference, seed=N and validation=F (default: `set seed`, `set val`), cache=off."],
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

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> CommandResult { try shell.load(arguments) }
}

private extension Interpreter {
    func load(_ arguments: Arguments) throws -> CommandResult {
        let nameArgument = try arguments.required(0, "dataset NAME (or 'model FILE')")
        if !nameArgument.quoted, nameArgument.value == "model" { return try loadModel(arguments) }
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

    func loadModel(_ arguments: Arguments) throws -> CommandResult {
        let file = try arguments.required(1, "FILE")
        let url = resolve(file.value)
        do {
            let checkpoint = try Checkpoint(contentsOf: url)
            let metadata = checkpoint.metadata
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
            // The run that saved this file, while it still ends where the file does (a run trained on after its
            // save is another model now).
            let saver = runStore.flatMap { store in try? store.run(checkpointPath: url.path) }
            let saved = saver.flatMap { $0.epochCount == metadata.history.count ? $0 : nil }
            let label = saved.map { "checkpoint \(file.value) of run \($0.id)" }
                ?? saver.map { "checkpoint \(file.value) of run \($0.id) at epoch \(metadata.history.count); that run trained on to epoch \($0.epochCount)" }
                ?? "checkpoint \(file.value), saved by no recorded run"
            adoptCurrentModel(dataset: metadata.dataset.name, config: session.config, epochs: metadata.history, storeID: saved?.id, label: label)
            output.text("loaded \(metadata.modelName) trained \(metadata.epoch) epochs on \(metadata.dataset.name) from \(file.value)"
                        + (saved.map { " (run \($0.id) in the run store)" } ?? "")
                        + (session.dataset == nil ? " (load a dataset with the same channels and classes to train or evaluate it)" : ""))
            return CommandResult(command: "load", fields: [
                ("model", .string(session.model?.spec.description ?? metadata.modelName)), ("file", .string(url.path)),
                ("epochs", .int(metadata.epoch)), ("dataset", .string(metadata.dataset.name)),
                ("run", .int(session.runs.count)), ("store_run", saved.map { .int(Int($0.id)) } ?? .null),
            ])
        } catch let error as CheckpointError {
            throw ShellError(error.message, at: file.offset)
        }
    }
}

import Foundation
import HARKit

/// Persistence commands: save model, load model (HARKit checkpoints: weights, optimizer state, config,
/// history and dataset description, written atomically), save data (the reference tool's .npy layout).
extension Interpreter {
    func save(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectOptions([])
        let what = try arguments.expectKeyword(try arguments.required(0, "'model' or 'data'"), among: ["model", "data"], kind: "thing to save")
        if what == "data" { return try saveData(arguments) }
        let file = try arguments.required(1, "FILE")
        try arguments.expectPositionals(2)
        let model = try currentModel(for: arguments)
        let dataset = try currentDataset(for: arguments)
        let url = resolve(file.value)
        do {
            let checkpoint: Checkpoint
            if let trainer = session.trainer {
                checkpoint = try Checkpoint(trainer: trainer)
            } else {
                checkpoint = try Checkpoint(model: model, optimizer: nil, config: session.config, dataset: CheckpointDataset(dataset),
                                            history: [])
            }
            try checkpoint.write(to: url)
        } catch let error as CheckpointError {
            throw ShellError(error.message, at: file.offset)
        }
        if let run = session.currentRun, let id = run.storeID {
            recording(of: "the checkpoint of run \(run.id)").recorder(for: id).checkpointSaved(at: url.path)
        }
        output.text("saved \(model.spec) (\(dataset.name), \(session.trainer?.history.count ?? 0) epochs) to \(file.value)")
        return CommandResult(command: "save", fields: [("model", .string(model.spec.description)), ("file", .string(url.path))])
    }

    /// `save data DIR`: the current dataset as x_train/y_train/x_test/y_test.npy plus harlab.json.
    func saveData(_ arguments: Arguments) throws -> CommandResult {
        let folder = try arguments.required(1, "DIR")
        try arguments.expectPositionals(2)
        let dataset = try currentDataset(for: arguments)
        let url = resolve(folder.value)
        do {
            try dataset.writeNpyFolder(to: url)
        } catch let error as DatasetError {
            throw ShellError(error.message, at: folder.offset)
        }
        output.text("saved \(dataset.name) (\(dataset.count) windows) as .npy to \(folder.value)")
        return CommandResult(command: "save", fields: [("data", .string(dataset.name)), ("folder", .string(url.path)), ("windows", .int(dataset.count))])
    }

    func loadModel(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectOptions([])
        let file = try arguments.required(1, "FILE")
        try arguments.expectPositionals(2)
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
            output.text("loaded \(metadata.modelName) trained \(metadata.epoch) epochs on \(metadata.dataset.name) from \(file.value)"
                        + (session.dataset == nil ? " (load a dataset with the same channels and classes to train or evaluate it)" : ""))
            return CommandResult(command: "load", fields: [
                ("model", .string(session.model?.spec.description ?? metadata.modelName)), ("file", .string(url.path)),
                ("epochs", .int(metadata.epoch)), ("dataset", .string(metadata.dataset.name)),
            ])
        } catch let error as CheckpointError {
            throw ShellError(error.message, at: file.offset)
        }
    }
}

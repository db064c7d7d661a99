import Foundation
import HARKit

/// `save model FILE` / `save data DIR`: a checkpoint, or the dataset's windows as .npy.
struct SaveCommand: ShellCommand {
    static let spec = CommandSpec("save", family: .persistence, usage: "save model FILE | save data DIR",
                                  summary: "a checkpoint: weights, optimizer state, config and dataset metadata (atomic write; `load model FILE` reads it back); or the current dataset's windows as .npy in the reference tool's layout (`load npy from DIR` reads it back)",
                                  examples: ["save model sa-uci.ckpt", "load model sa-uci.ckpt", "save data uci-npy"], keywords: ["model", "data"],
                                  keywordKind: "thing to save", positionals: 2, completions: [.keywords, .files])

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> CommandResult { try shell.save(arguments) }
}

private extension Interpreter {
    func save(_ arguments: Arguments) throws -> CommandResult {
        let what = try arguments.required(0, "'model' or 'data'").value
        if what == "data" { return try saveData(arguments) }
        let file = try arguments.required(1, "FILE")
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
}

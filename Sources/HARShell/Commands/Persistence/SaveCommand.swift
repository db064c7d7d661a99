import Foundation
import HARKit

/// `save model FILE` / `save data DIR`: a checkpoint, or the dataset's windows as .npy.
struct SaveCommand: ShellCommand {
    static let spec = CommandSpec("save", family: .persistence, usage: "save model FILE | save data DIR",
                                  summary: "a checkpoint: weights, optimizer state, config and dataset metadata (atomic write; `load model FILE` reads it back); or the current dataset's windows as .npy in the reference tool's layout (`load npy from DIR` reads it back)",
                                  examples: ["save model sa-uci.ckpt", "load model sa-uci.ckpt", "save data uci-npy"], keywords: ["model", "data"],
                                  keywordKind: "thing to save", positionals: 2, completions: [.keywords, .files])

    /// A checkpoint written.
    struct SavedModel: CommandOutput {
        /// The model's spec.
        var model: ModelSpec
        /// The dataset it was trained on.
        var dataset: String
        /// The epochs its trainer has run.
        var epochs: Int
        /// The file as written and where it is.
        var file: String, url: URL

        /// `saved sa (synthetic, 3 epochs) to FILE`.
        func lines(in layout: TextLayout) -> [String] { ["saved \(model) (\(dataset), \(counted(epochs, "epoch"))) to \(file)"] }

        /// `model`, `file`.
        var result: CommandResult { CommandResult(command: "save", fields: [("model", .string(model.description)), ("file", .string(url.path))]) }
    }

    /// A dataset's windows written as .npy files.
    struct SavedData: CommandOutput {
        /// The dataset's name.
        var dataset: String
        /// Its window count.
        var windows: Int
        /// The folder as written and where it is.
        var folder: String, url: URL

        /// `saved synthetic (600 windows) as .npy to DIR`.
        func lines(in layout: TextLayout) -> [String] { ["saved \(dataset) (\(counted(windows, "window"))) as .npy to \(folder)"] }

        /// `data`, `folder`, `windows`.
        var result: CommandResult {
            CommandResult(command: "save", fields: [("data", .string(dataset)), ("folder", .string(url.path)), ("windows", .int(windows))])
        }
    }

    /// A model or a dataset.
    enum Output: CommandOutputForms {
        case model(SavedModel), data(SavedData)

        var form: any CommandOutput {
            switch self {
            case .model(let saved): return saved
            case .data(let saved): return saved
            }
        }
    }

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> Output { try shell.save(arguments) }
}

private extension Interpreter {
    func save(_ arguments: Arguments) throws -> SaveCommand.Output {
        let what = try arguments.required(0, "'model' or 'data'").value
        if what == "data" { return .data(try saveData(arguments)) }
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
        return .model(SaveCommand.SavedModel(model: model.spec, dataset: dataset.name, epochs: session.trainer?.history.count ?? 0,
                                             file: file.value, url: url))
    }

    /// `save data DIR`: the current dataset as x_train/y_train/x_test/y_test.npy plus harlab.json.
    func saveData(_ arguments: Arguments) throws -> SaveCommand.SavedData {
        let folder = try arguments.required(1, "DIR")
        let dataset = try currentDataset(for: arguments)
        let url = resolve(folder.value)
        do {
            try dataset.writeNpyFolder(to: url)
        } catch let error as DatasetError {
            throw ShellError(error.message, at: folder.offset)
        }
        return SaveCommand.SavedData(dataset: dataset.name, windows: dataset.count, folder: folder.value, url: url)
    }
}

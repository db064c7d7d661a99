import Foundation
import HARKit

extension ModelCommand {
    /// Where `model from` took its weights and what it carried over.
    struct TrainedStart {
        /// The source as typed (`#5`, `sa-dsads.ckpt`).
        var source: String
        /// The checkpoint's dataset.
        var dataset: String
        /// Tensors copied, rearranged by channel name, or left fresh.
        var transfer: WeightTransfer
        /// The stem's learning-rate multiple now set (0: frozen); nil when left at 1.
        var stemLearningRate: Double?

        /// `from #5 (dsads): copied 14 tensors, new head (head.weight, head.bias); stem frozen`.
        var lines: [String] {
            let stem = stemLearningRate.map { $0 == 0 ? "; stem frozen (stem_lr 0)" : "; stem learns at \(ConfigKey.format($0)) × lr (stem_lr)" } ?? ""
            return ["from \(source) (\(dataset)): \(transfer.summary)\(stem)"]
        }

        /// `from`, `copied`, `remapped`, `fresh` (lists of tensor names), `stem_lr`.
        var fields: [(String, JSONValue)] {
            [("from", .string(source)), ("copied", .array(transfer.copied.map(JSONValue.string))),
             ("remapped", .array(transfer.remapped.map(JSONValue.string))), ("fresh", .array(transfer.fresh.map(JSONValue.string))),
             ("stem_lr", .double(stemLearningRate ?? 1))]
        }
    }
}

extension Interpreter {
    /// `model from #RUN|FILE [freeze=stem] [stem_lr=F]`: the checkpoint's model for the loaded dataset, starting from its weights.
    func modelFromTrained(_ arguments: Arguments) throws -> ModelCommand.Built {
        let sourceArgument = try arguments.required(1, "#RUN or FILE after 'from'")
        let dataset = try currentDataset(for: arguments)
        let stemRate = try stemLearningRate(arguments)
        let (checkpoint, source) = try trainedCheckpoint(sourceArgument, arguments: arguments)
        let built: any HARModel, transfer: WeightTransfer
        do {
            let spec = try checkpoint.metadata.modelSpec()
            built = try ModelFactory.make(spec, input: try currentInputShape(for: arguments), seed: session.config.seed)
            transfer = try checkpoint.transfer(into: built, channelNames: dataset.channelNames, classNames: dataset.classNames)
        } catch let error as any HARKitError {
            throw ShellError(error.message, at: sourceArgument.offset)
        }
        if stemRate != nil, !built.namedParameters().contains(where: { $0.name.hasPrefix("body.") }) {
            let word = arguments.option("freeze") ?? arguments.option("stem_lr")
            throw ShellError("model '\(built.spec)' has no convolutional stem to freeze or slow down", at: word?.offset)
        }
        if let stemRate { session.config.stemLearningRate = stemRate == 1 ? nil : stemRate }
        let replaced = session.model?.spec
        session.dropModel()
        session.model = built
        session.modelSource = source
        session.builtModel = nil
        let start = ModelCommand.TrainedStart(source: sourceArgument.value, dataset: checkpoint.metadata.dataset.name, transfer: transfer,
                                              stemLearningRate: session.config.stemLearningRate)
        return ModelCommand.Built(spec: built.spec, shape: built.inputShape, parameters: built.parameterCount, replaced: replaced, start: start)
    }

    /// `freeze=stem` (0) or `stem_lr=F` (F ≥ 0), or nil when neither was given.
    private func stemLearningRate(_ arguments: Arguments) throws -> Double? {
        let freeze = arguments.option("freeze"), rate = arguments.option("stem_lr")
        if freeze != nil, let rate { throw ShellError("give freeze=stem or stem_lr=\(rate.value), not both", at: rate.offset) }
        if let freeze {
            guard freeze.value == "stem" else { throw ShellError("invalid value '\(freeze.value)' for freeze: expected stem", at: freeze.offset) }
            return 0
        }
        guard let rate else { return nil }
        guard let value = ConfigKey.finiteNumber(rate.value), value >= 0 else {
            throw ShellError("invalid value '\(rate.value)' for stem_lr: expected a number ≥ 0 (a multiple of lr)", at: rate.offset)
        }
        return value
    }

    /// The checkpoint `#N` names (the one run N saved, from the run store) or the file `argument` names, and where it
    /// came from (the file, and run N).
    private func trainedCheckpoint(_ argument: Argument, arguments: Arguments) throws -> (Checkpoint, ModelSource) {
        var path = resolve(argument.value).path
        var run: Int64?
        if argument.value.hasPrefix("#"), !argument.quoted {
            let id = try arguments.runID(argument)
            guard let runStore else { throw ShellError("no run store to look run #\(id) up in (HAR_RUNS)", at: argument.offset) }
            let record: RunRecord
            do { record = try runStore.run(Int64(id)) } catch let error as RunStoreError { throw ShellError(error.message, at: argument.offset) }
            guard let saved = record.checkpointPath else {
                throw ShellError("run #\(id) saved no checkpoint: 'save model FILE' while it is the current model, or name the file", at: argument.offset)
            }
            path = saved
            run = record.id
        }
        do {
            return (try Checkpoint(contentsOf: URL(fileURLWithPath: path)), ModelSource(run: run, checkpoint: path))
        } catch let error as CheckpointError {
            throw ShellError(error.message, at: argument.offset)
        }
    }
}

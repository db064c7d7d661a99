import Foundation
import HARKit

/// What `eval` (Commands/Training) needs beyond the evaluation itself: a progress bar over its batches and Ctrl-C.
extension Interpreter {
    /// `model` evaluated on `split` of `dataset`, with a progress bar over the batches on a terminal; Ctrl-C stops it
    /// after the current batch and fails the command (nothing is recorded, the session stays as it was). In a
    /// data-parallel job the ranks evaluate it in shares (`DataParallel.evaluate(_:split:)`).
    func evaluateWithProgress(_ model: any HARModel, on dataset: HARDataset, split: DatasetSplit,
                              arguments: Arguments) throws -> Evaluator.Result {
        var evaluator = Evaluator(model: model, dataset: dataset)
        let started = Date()
        evaluator.progress = { [output] done, total in
            output.progress(Progress(label: "eval \(split.rawValue)", done: done, total: total,
                                     elapsed: Date().timeIntervalSince(started)))
        }
        evaluator.shouldStop = shouldStop
        defer { output.progress(nil) }
        do {
            // In a data-parallel job every rank evaluates a share of the split and all get the whole split's result.
            if let dataParallel { return try dataParallel.evaluate(evaluator, split: split) }
            return try evaluator.evaluate(split: split)
        } catch let stopped as EvaluationStopped {
            throw ShellError("\(stopped) by Ctrl-C; nothing recorded", at: arguments.command.offset)
        }
    }
}

import Foundation
import HARKit

/// What `eval` (Commands/Training) needs beyond the evaluation itself: a progress bar over its batches and Ctrl-C.
extension Interpreter {
    /// `model` evaluated on `split` of `dataset`, with a progress bar over the batches on a terminal; Ctrl-C stops it
    /// after the current batch and fails the command (nothing is recorded, the session stays as it was). In a
    /// data-parallel job the ranks first compare their weights' checksums: when all hold rank 0's they evaluate it in
    /// shares (`DataParallel.evaluate(_:split:)`); when not, each rank evaluates its own model alone and says why.
    /// - Returns: the result, and how many ranks evaluated it in shares (1: this process alone).
    func evaluateWithProgress(_ model: any HARModel, on dataset: HARDataset, split: DatasetSplit,
                              arguments: Arguments) throws -> (result: Evaluator.Result, ranks: Int) {
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
            // Shares of ranks whose weights differ would mix several models' predictions into one silently wrong result.
            if let dataParallel {
                guard let differing = try dataParallel.differingWeights(of: model, doing: "comparing the weights before evaluating") else {
                    return (try dataParallel.evaluate(evaluator, split: split), dataParallel.worldSize)
                }
                output.warning("\(differing): each rank evaluates the \(split.rawValue) split with its own model alone, not in shares")
                workers?.weightsDiffer()
            }
            return (try evaluator.evaluate(split: split), 1)
        } catch let stopped as EvaluationStopped {
            throw ShellError("\(stopped) by Ctrl-C; nothing recorded", at: arguments.command.offset)
        }
    }
}

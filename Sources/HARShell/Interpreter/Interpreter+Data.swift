import Foundation
import HARKit

/// What the data commands share (Commands/Data, and every command that needs the dataset): names and the current dataset.
extension Interpreter {
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

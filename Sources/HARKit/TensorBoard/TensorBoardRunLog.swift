import Foundation
import SwiftProtobuf

/// The TensorBoard log of one run: a folder `run-<id>-<dataset>-<model>` under the log directory (TensorBoard shows
/// each folder as a run), holding an events file per `train` call of the run. The first file starts with the run's
/// hyperparameters for the HParams view; each finished epoch adds one event with its scalars at step = epoch
/// (`train/loss`, `train/accuracy`, `validation/loss`, `validation/accuracy`, `validation/macro_f1`,
/// `learning_rate`, `epoch_seconds`), and each end of the run its HParams status.
///
/// The first failure to write is reported to `onProblem` and stops the log; the training goes on.
final class TensorBoardRunLog: RunObserver {
    /// The run's folder.
    let folder: URL
    private var file: EventFileWriter?
    private let onProblem: (TensorBoardError) -> Void

    /// Starts the log of the run `start` (`runID` in the run store, nil when it has none) under `directory`: a new
    /// folder for a new run (with `-2`, `-3`, … appended when the name is taken, as after a new run store), the run's
    /// existing folder when `resumed` (the last of those names; a resumed run without one starts it as a new run
    /// does), and in it a new events file.
    /// - Throws: `TensorBoardError` naming the folder or file when it cannot be created or written.
    init(directory: URL, runID: Int64?, start: RunStart, resumed: Bool, onProblem: @escaping (TensorBoardError) -> Void) throws {
        self.onProblem = onProblem
        let name = TensorBoardRunLog.folderName(runID: runID, start: start)
        func candidate(_ number: Int) -> URL { directory.appendingPathComponent(number == 1 ? name : "\(name)-\(number)") }
        var number = 1
        while FileManager.default.fileExists(atPath: candidate(number).path) { number += 1 }
        // A new run takes the first free name; a resumed one the last taken, its own (unless it has no log yet).
        let continuing = resumed && number > 1
        let folder = candidate(continuing ? number - 1 : number)
        self.folder = folder
        try TensorBoardFolder.make(folder)
        let file = try EventFileWriter(folder: folder)
        self.file = file
        if !continuing {
            var info = Tensorboard_Hparams_SessionStartInfo()
            info.hparams = TensorBoardRunLog.hyperparameters(of: start)
            info.startTimeSecs = start.startedAt.timeIntervalSince1970
            var data = Tensorboard_Hparams_HParamsPluginData()
            data.sessionStartInfo = info
            try file.write(try TensorBoardRunLog.hparamsEvent(tag: "_hparams_/session_start_info", data: data))
        }
    }

    /// `run-<id>-<dataset>-<model>` (`run-<yyyyMMddTHHmmssZ>-…`, the start time in UTC, when the run has no id), with
    /// every character other than letters, digits and `.+=-` written as `_` (`run-12-dsads-sa_width=8`).
    static func folderName(runID: Int64?, start: RunStart) -> String {
        let id = runID.map(String.init) ?? {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
            return formatter.string(from: start.startedAt)
        }()
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.+=-")
        return String("run-\(id)-\(start.dataset)-\(start.model)".map { allowed.contains($0) ? $0 : "_" })
    }

    /// The run's hyperparameters as the HParams view shows them: `dataset`, `model` (the spec as written) and every
    /// field of its `TrainingConfig` by its Swift name (`learningRate`, `batchSize`, …; a setting that is off, such
    /// as `clipNorm`, is left out), except the log directory itself.
    static func hyperparameters(of start: RunStart) -> [String: Google_Protobuf_Value] {
        var values: [String: Google_Protobuf_Value] = ["dataset": .init(stringValue: start.dataset), "model": .init(stringValue: start.model)]
        for child in Mirror(reflecting: start.config).children {
            guard let name = child.label, name != "tensorBoardDirectory", let value = hyperparameter(child.value) else { continue }
            values[name] = value
        }
        return values
    }

    /// `value` as a protobuf value: numbers, flags and text as themselves, a choice by its raw value, an optional by
    /// what it holds; nil for nothing.
    private static func hyperparameter(_ value: Any) -> Google_Protobuf_Value? {
        switch value {
        case let flag as Bool: return Google_Protobuf_Value(boolValue: flag)
        case let number as Double: return Google_Protobuf_Value(numberValue: number)
        case let number as Int: return Google_Protobuf_Value(numberValue: Double(number))
        case let number as UInt64: return Google_Protobuf_Value(numberValue: Double(number))
        case let text as String: return Google_Protobuf_Value(stringValue: text)
        case let choice as any RawRepresentable: return hyperparameter(choice.rawValue)
        default:
            let mirror = Mirror(reflecting: value)
            guard mirror.displayStyle == .optional, let wrapped = mirror.children.first?.value else { return nil }
            return hyperparameter(wrapped)
        }
    }

    /// Writes the epoch's scalars at step `record.epoch`.
    func epochFinished(_ record: EpochRecord) {
        var summary = Tensorboard_Summary()
        func add(_ tag: String, _ value: Double?) {
            guard let value else { return }
            var entry = Tensorboard_Summary.Value()
            entry.tag = tag
            entry.simpleValue = Float(value)
            summary.value.append(entry)
        }
        add("train/loss", record.trainLoss)
        add("train/accuracy", record.trainAccuracy)
        add("validation/loss", record.validationLoss)
        add("validation/accuracy", record.validationAccuracy)
        add("validation/macro_f1", record.validationMacroF1)
        add("learning_rate", record.learningRate)
        add("epoch_seconds", record.seconds)
        var event = Tensorboard_Event()
        event.wallTime = Date().timeIntervalSince1970
        event.step = Int64(record.epoch)
        event.summary = summary
        write { event }
    }

    /// Writes the run's HParams status: success when it finished or stopped early, failure when it failed, unknown
    /// when it was cancelled or interrupted.
    func runEnded(_ end: RunEnd) {
        var info = Tensorboard_Hparams_SessionEndInfo()
        switch end.status {
        case .finished, .stoppedEarly: info.status = .success
        case .failed: info.status = .failure
        case .running: info.status = .running
        case .cancelled, .interrupted: info.status = .unknown
        }
        info.endTimeSecs = end.endedAt.timeIntervalSince1970
        var data = Tensorboard_Hparams_HParamsPluginData()
        data.sessionEndInfo = info
        write { try TensorBoardRunLog.hparamsEvent(tag: "_hparams_/session_end_info", data: data) }
    }

    /// An event holding HParams plugin `data` under `tag`, shaped as TensorBoard's own `hparams` summaries: the data in
    /// the value's plugin metadata, and an empty float tensor as the value.
    /// - Throws: `TensorBoardError` when `data` cannot be serialized.
    static func hparamsEvent(tag: String, data: Tensorboard_Hparams_HParamsPluginData) throws -> Tensorboard_Event {
        var value = Tensorboard_Summary.Value()
        value.tag = tag
        value.metadata.pluginData.pluginName = "hparams"
        do {
            value.metadata.pluginData.content = try data.serializedData()
        } catch {
            throw TensorBoardError("cannot serialize the TensorBoard hparams summary '\(tag)': \(error)")
        }
        var shape = Tensorboard_TensorShapeProto()
        shape.dim = [Tensorboard_TensorShapeProto.Dim()]
        value.tensor.dtype = .dtFloat
        value.tensor.tensorShape = shape
        var event = Tensorboard_Event()
        event.wallTime = Date().timeIntervalSince1970
        event.step = 0
        event.summary.value = [value]
        return event
    }

    /// Writes the event `make` builds unless an earlier write failed; the first failure is reported and closes the log.
    private func write(_ make: () throws -> Tensorboard_Event) {
        guard let file else { return }
        do {
            try file.write(try make())
        } catch {
            self.file = nil
            onProblem(error as? TensorBoardError ?? TensorBoardError("TensorBoard log '\(folder.path)': \(error)"))
        }
    }
}

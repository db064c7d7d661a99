import Foundation
import Torch
import XCTest
@testable import HARKit
import TestSupport

/// The TensorBoard log of `train`, `tune` and `cv` runs, read back with TensorBoard's own reader
/// (`scripts/read_tensorboard_log.py` in the test-only Python tools): every scalar of every epoch at its step with its
/// value, the hyperparameters for the HParams view, and a file cut short by a killed process still read up to its
/// last whole record.
///
/// Each test that reads a log starts Python with TensorBoard (a few seconds); the training ones train tiny models on a
/// quarter of the synthetic set (seconds more in a debug build).
final class TensorBoardLogTests: IsolatedTestCase {
    static let dataset: HARDataset = try! everyFourthWindow(of: DatasetCatalog.load("synthetic", from: nil, options: [:], dataDirectory: nil))
    static let spec = try! ModelSpec("sa", options: ["width": "2", "depth": "1"])

    /// What TensorBoard's reader found in one run folder.
    struct ReadRun: Decodable {
        /// [step, value] pairs by tag, in file order.
        var scalars: [String: [[Double]]]
        /// The HParams session-start hyperparameters (numbers, text and flags as JSON values).
        var hparams: [String: HParam]?
        /// The HParams session-end status name (`STATUS_SUCCESS`).
        var status: String?
    }

    /// One hyperparameter value as JSON gives it.
    enum HParam: Decodable, Equatable {
        case number(Double), text(String), flag(Bool)
        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let flag = try? container.decode(Bool.self) { self = .flag(flag) }
            else if let number = try? container.decode(Double.self) { self = .number(number) }
            else { self = .text(try container.decode(String.self)) }
        }
    }

    /// What the HParams plugin's backend serves for the log directory (TensorBoard's HParams view).
    struct HParamsView: Decodable {
        /// Every hyperparameter name and metric tag of the experiment it infers.
        var hparams: [String]
        var metrics: [String]
        /// Per session (run folder): its hyperparameters, its metrics' last [step, value], its statuses.
        var sessions: [String: Session]

        struct Session: Decodable {
            var hparams: [String: HParam]
            var metrics: [String: [Double]]
            var statuses: [String]
        }
    }

    /// Runs `scripts/read_tensorboard_log.py` on `directory`; the run folders (relative paths) with what was read.
    func readLog(_ directory: URL) throws -> [String: ReadRun] { try readLogAndView(directory).runs }

    /// Runs `scripts/read_tensorboard_log.py` on `directory`: the run folders with what was read, and the HParams view.
    func readLogAndView(_ directory: URL) throws -> (runs: [String: ReadRun], view: HParamsView) {
        try PythonTools.require("tensorboard", for: "reading TensorBoard logs with TensorBoard's reader")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/read_tensorboard_log.py")
        let result = try PythonTools.run([script.path, directory.path])
        XCTAssertEqual(result.status, 0, result.error)
        struct Log: Decodable { var runs: [String: ReadRun]; var hparams_view: HParamsView }
        let log = try JSONDecoder().decode(Log.self, from: Data(result.output.utf8))
        return (log.runs, log.hparams_view)
    }

    /// Every figure of `records` at its epoch, as TensorBoard reads it back (a float32 scalar), and nothing else.
    func assertScalars(_ run: ReadRun?, match records: [EpochRecord], _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let run else { return XCTFail("no run folder \(name)", file: file, line: line) }
        let expected: [String: [[Double]]] = [
            "train/loss": records.map { [Double($0.epoch), Double(Float($0.trainLoss))] },
            "train/accuracy": records.map { [Double($0.epoch), Double(Float($0.trainAccuracy))] },
            "validation/loss": records.map { [Double($0.epoch), Double(Float($0.validationLoss!))] },
            "validation/accuracy": records.map { [Double($0.epoch), Double(Float($0.validationAccuracy!))] },
            "validation/macro_f1": records.map { [Double($0.epoch), Double(Float($0.validationMacroF1!))] },
            "learning_rate": records.map { [Double($0.epoch), Double(Float($0.learningRate))] },
            "epoch_seconds": records.map { [Double($0.epoch), Double(Float($0.seconds))] },
        ]
        XCTAssertEqual(run.scalars, expected, name, file: file, line: line)
    }

    /// A tiny trainer on the synthetic set.
    private func makeTrainer(config: TrainingConfig) throws -> Trainer {
        Runtime.manualSeed(config.seed)
        let input = InputShape(time: Self.dataset.windowLength, channels: Self.dataset.channelCount, classes: Self.dataset.classNames.count)
        return try Trainer(model: try ModelFactory.make(Self.spec, input: input), dataset: Self.dataset, config: config)
    }

    /// The settings of a quick run.
    private func quickConfig() -> TrainingConfig {
        var config = TrainingConfig()
        config.batchSize = 256
        config.learningRate = 2e-3
        return config
    }

    /// A quick run's config that logs to `directory`.
    private func loggingConfig(_ directory: URL) -> TrainingConfig {
        var config = quickConfig()
        config.tensorBoardDirectory = directory.path
        return config
    }

    func testCRC32CMatchesThePublishedCheckValues() {
        XCTAssertEqual(CRC32C.checksum(Array("123456789".utf8)), 0xE306_9283)
        XCTAssertEqual(CRC32C.checksum([UInt8]()), 0)
        // RFC 3720 (iSCSI), appendix B.4.
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0, count: 32)), 0x8A91_36AA)
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)), 0x62A8_AB43)
        XCTAssertEqual(CRC32C.checksum((0..<32).map { UInt8($0) }), 0x46DD_794E)
        XCTAssertEqual(CRC32C.checksum((0..<32).map { UInt8(31 - $0) }), 0x113F_DB5C)
    }

    func testARecordIsLengthMaskedCRCDataMaskedCRC() {
        let data: [UInt8] = Array("123456789".utf8)
        let record = EventFileWriter.record(data)
        XCTAssertEqual(record.count, 8 + 4 + 9 + 4)
        XCTAssertEqual(Array(record[0..<8]), [9, 0, 0, 0, 0, 0, 0, 0], "the length, UInt64 little-endian")
        // 0xE3069283 rotated right by 15 bits is 0x2507C60D; plus 0xA282EAD8 is 0xC78AB0E5 (little-endian below).
        XCTAssertEqual(Array(record[21..<25]), [0xE5, 0xB0, 0x8A, 0xC7], "the masked CRC-32C of the data")
        XCTAssertEqual(Array(record[12..<21]), data)
    }

    /// A `train` and its continuation (a second `train` of the same run) log into one folder named by the run's id,
    /// dataset and model; TensorBoard reads all three epochs, the hyperparameters and the status.
    func testTensorBoardReadsEveryScalarOfATrainAndItsContinuation() throws {
        let folder = try makeTemporaryFolder(self)
        let store = try RunStore(url: folder.appendingPathComponent("runs.sqlite"))
        let logs = folder.appendingPathComponent("logs")
        var problems: [TensorBoardError] = []
        var recording = RunRecording(store: store)
        recording.onLogProblem = { problems.append($0) }
        var config = loggingConfig(logs)
        let trainer = try makeTrainer(config: config)
        let first = recording.begin(RunStart(dataset: Self.dataset, model: Self.spec, config: config))
        first.end(after: try first.train(trainer, epochs: 2))
        let id = try XCTUnwrap(first.runID)
        config.learningRate = 1e-3
        try trainer.apply(config)
        let second = recording.resume(id, earlierSeconds: first.trainSeconds, start: RunStart(dataset: Self.dataset, model: Self.spec, config: config))
        second.end(after: try second.train(trainer, epochs: 1))
        XCTAssertEqual(problems, [])

        let name = "run-\(id)-synthetic-sa_depth=1_width=2"
        let runs = try readLog(logs)
        XCTAssertEqual(Array(runs.keys), [name])
        XCTAssertEqual(trainer.history.map(\.epoch), [1, 2, 3])
        assertScalars(runs[name], match: trainer.history, name)
        let events = try FileManager.default.contentsOfDirectory(atPath: logs.appendingPathComponent(name).path)
        XCTAssertEqual(events.count, 2, "one events file per train call: \(events)")
        XCTAssertTrue(events.allSatisfy { $0.hasPrefix("events.out.tfevents.") }, "\(events)")
        let hparams = try XCTUnwrap(runs[name]?.hparams)
        XCTAssertEqual(hparams["learningRate"], .number(2e-3), "the run's settings as it started")
        XCTAssertEqual(hparams["batchSize"], .number(256))
        XCTAssertEqual(hparams["optimizer"], .text("adamw"))
        XCTAssertEqual(hparams["mixedPrecision"], .flag(false))
        XCTAssertEqual(hparams["model"], .text("sa depth=1 width=2"))
        XCTAssertEqual(hparams["dataset"], .text("synthetic"))
        XCTAssertNil(hparams["clipNorm"], "a setting that is off is left out")
        XCTAssertNil(hparams["tensorBoardDirectory"])
        XCTAssertEqual(runs[name]?.status, "STATUS_SUCCESS")
    }

    /// Every trial of a search is a run of its own, with its sampled settings as its hyperparameters; TensorBoard's
    /// HParams view lists each trial as a session with its learning rate and last validation F1 side by side.
    func testTensorBoardReadsEveryScalarOfEveryTuneTrial() throws {
        let folder = try makeTemporaryFolder(self)
        let store = try RunStore(url: folder.appendingPathComponent("runs.sqlite"))
        let logs = folder.appendingPathComponent("logs")
        var tuner = try Tuner(space: try SearchSpace(parsing: "lr=1e-3..1e-2:log"), trials: 3, epochs: 3)
        tuner.gracePeriod = 1
        var config = loggingConfig(logs)
        config.schedule = .none
        let result = try tuner.run(dataset: Self.dataset, spec: Self.spec, config: config, recording: RunRecording(store: store))
        let (runs, view) = try readLogAndView(logs)
        XCTAssertEqual(runs.count, 3, "\(runs.keys.sorted())")
        XCTAssertEqual(Set(view.metrics), ["train/loss", "train/accuracy", "validation/loss", "validation/accuracy", "validation/macro_f1",
                                           "learning_rate", "epoch_seconds"])
        XCTAssertTrue(view.hparams.contains("learningRate"), "\(view.hparams)")
        XCTAssertEqual(view.sessions.count, 3)
        for trial in result.trials {
            let id = try XCTUnwrap(trial.runID)
            let name = "run-\(id)-synthetic-sa_depth=1_width=2"
            assertScalars(runs[name], match: trial.history, "trial \(trial.index)")
            XCTAssertEqual(runs[name]?.hparams?["learningRate"], .number(trial.config.learningRate), "trial \(trial.index)")
            XCTAssertEqual(runs[name]?.status, "STATUS_SUCCESS", "finished and pruned trials both ended well")
            let session = try XCTUnwrap(view.sessions[name], "the HParams view lists trial \(trial.index)")
            XCTAssertEqual(session.hparams["learningRate"], .number(trial.config.learningRate))
            let last = try XCTUnwrap(trial.history.last)
            XCTAssertEqual(session.metrics["validation/macro_f1"], [Double(last.epoch), Double(Float(last.validationMacroF1!))])
            XCTAssertEqual(session.statuses, ["STATUS_SUCCESS"])
        }
        XCTAssertEqual(Set(result.trials.map(\.history.count)), [1, 3], "pruned trials log their one epoch, survivors all three")
    }

    /// Every fold of a cross-validation is a run of its own.
    func testTensorBoardReadsEveryScalarOfEveryCrossValidationFold() throws {
        let folder = try makeTemporaryFolder(self)
        let store = try RunStore(url: folder.appendingPathComponent("runs.sqlite"))
        let logs = folder.appendingPathComponent("logs")
        var config = loggingConfig(logs)
        config.validationFraction = 0.2
        let result = try CrossValidation(folds: .subjectGroups(2), epochs: 2)
            .run(dataset: Self.dataset, spec: Self.spec, config: config, recording: RunRecording(store: store))
        let runs = try readLog(logs)
        XCTAssertEqual(runs.count, 2, "\(runs.keys.sorted())")
        for fold in result.folds {
            let name = "run-\(try XCTUnwrap(fold.runID))-synthetic-sa_depth=1_width=2"
            XCTAssertEqual(fold.history.map(\.epoch), [1, 2])
            assertScalars(runs[name], match: fold.history, "fold \(fold.index)")
        }
    }

    /// A process killed while writing leaves a partial last record; TensorBoard's reader stops there, with every
    /// epoch before it. A damaged byte stops it at the damaged record (the reader checks each record's CRC-32C, so
    /// the records it accepts carry right checksums).
    func testACutOrDamagedFileReadsUpToTheLastWholeRecord() throws {
        let logs = try makeTemporaryFolder(self)
        let start = sampleStart(dataset: "synthetic", model: "sa")
        let log = try TensorBoardRunLog(directory: logs, runID: 7, start: start, resumed: false) { XCTFail("\($0)") }
        let file = try XCTUnwrap(try FileManager.default.contentsOfDirectory(at: log.folder, includingPropertiesForKeys: nil).first)
        var sizes: [Int] = []
        for epoch in 1...5 {
            log.epochFinished(sampleEpoch(epoch))
            sizes.append(try Data(contentsOf: file).count)
        }
        let whole = try Data(contentsOf: file)
        let cuts = ["cut-in-length": sizes[3] + 4, "cut-in-data": sizes[3] + 20, "cut-in-last-crc": sizes[4] - 1]
        for (name, size) in cuts {
            let copy = logs.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
            try whole.prefix(size).write(to: copy.appendingPathComponent(file.lastPathComponent))
        }
        var damaged = whole
        damaged[sizes[1] + 20] ^= 0x40
        let damagedFolder = logs.appendingPathComponent("damaged")
        try FileManager.default.createDirectory(at: damagedFolder, withIntermediateDirectories: true)
        try damaged.write(to: damagedFolder.appendingPathComponent(file.lastPathComponent))

        let runs = try readLog(logs)
        assertScalars(runs["run-7-synthetic-sa"], match: (1...5).map { sampleEpoch($0) }, "the whole file")
        for name in cuts.keys { assertScalars(runs[name], match: (1...4).map { sampleEpoch($0) }, name) }
        assertScalars(runs["damaged"], match: (1...2).map { sampleEpoch($0) }, "damaged in epoch 3's record")
        XCTAssertEqual(runs["damaged"]?.hparams?["seed"], .number(1), "the records before the damage are read")
    }

    /// A run without a store id is named by its start time in UTC; a taken name gets `-2`; a resumed run continues
    /// in the last folder of its name.
    func testFolderNames() throws {
        let logs = try makeTemporaryFolder(self)
        let start = sampleStart(dataset: "uci-har", model: "sa width=8")
        XCTAssertEqual(TensorBoardRunLog.folderName(runID: nil, start: start), "run-20270115T080000Z-uci-har-sa_width=8")
        XCTAssertEqual(TensorBoardRunLog.folderName(runID: 3, start: start), "run-3-uci-har-sa_width=8")
        let first = try TensorBoardRunLog(directory: logs, runID: 3, start: start, resumed: false) { XCTFail("\($0)") }
        let second = try TensorBoardRunLog(directory: logs, runID: 3, start: start, resumed: false) { XCTFail("\($0)") }
        let resumed = try TensorBoardRunLog(directory: logs, runID: 3, start: start, resumed: true) { XCTFail("\($0)") }
        XCTAssertEqual(first.folder.lastPathComponent, "run-3-uci-har-sa_width=8")
        XCTAssertEqual(second.folder.lastPathComponent, "run-3-uci-har-sa_width=8-2")
        XCTAssertEqual(resumed.folder.path, second.folder.path)
    }

    /// Writing an epoch's event costs under 1% of an epoch, even of the shortest one here (the tiny model on a quarter
    /// of the synthetic set, in a debug build): the median of 200 writes against the median of 3 epochs' seconds.
    func testWritingAnEpochsEventCostsUnderOnePercentOfTheEpoch() throws {
        let outcome = try makeTrainer(config: quickConfig()).train(epochs: 3)
        let median = { (values: [Double]) in values.sorted()[values.count / 2] }
        let epochSeconds = median(outcome.records.map(\.seconds))
        let log = try TensorBoardRunLog(directory: try makeTemporaryFolder(self), runID: 1, start: sampleStart(), resumed: false) { XCTFail("\($0)") }
        let file = try XCTUnwrap(try FileManager.default.contentsOfDirectory(at: log.folder, includingPropertiesForKeys: nil).first)
        let sizeBefore = try Data(contentsOf: file).count
        let writeSeconds = (1...200).map { epoch in
            let clock = DispatchTime.now().uptimeNanoseconds
            log.epochFinished(sampleEpoch(epoch))
            return Double(DispatchTime.now().uptimeNanoseconds - clock) / 1e9
        }
        XCTAssertGreaterThan(try Data(contentsOf: file).count - sizeBefore, 200 * 100, "every write reached the file")
        XCTAssertLessThan(median(writeSeconds), 0.01 * epochSeconds, "write \(median(writeSeconds) * 1e6) µs, epoch \(epochSeconds) s")
    }

    /// `har-bench --tensorboard-pairs` reports medians, and the write's share of an epoch without the log.
    func testTheOverheadBenchmarkReportsMediansAndTheWritesShare() throws {
        let cost = { (wall: Double, cpu: Double) in TensorBoardOverhead.EpochCost(wall: wall, cpu: cpu) }
        let overhead = TensorBoardOverhead(model: "sa", shape: "uci", without: [cost(2, 1), cost(4, 3), cost(3, 2)],
                                           with: [cost(5, 4), cost(3, 2), cost(4, 3)], writeSeconds: [50e-6, 20e-6, 30e-6])
        let line = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(overhead.jsonLine.utf8)) as? [String: Any])
        XCTAssertEqual(line["epoch_wall_s_without"] as? Double, 3)
        XCTAssertEqual(line["epoch_cpu_s_with"] as? Double, 3)
        XCTAssertEqual(line["event_write_us"] as? Double, 30)
        XCTAssertEqual(line["event_write_max_us"] as? Double, 50)
        XCTAssertEqual(line["write_share_of_epoch_pct"] as? Double, 0.001, "30 µs of a 3 s epoch")
        XCTAssertEqual(line["epochs_each"] as? Int, 3)
    }

    /// A log folder that cannot be made is reported once, naming it; the run is still trained and stored.
    func testALogThatCannotStartIsReportedAndTheRunStillRecorded() throws {
        let folder = try makeTemporaryFolder(self)
        let store = try RunStore(url: folder.appendingPathComponent("runs.sqlite"))
        let blocker = folder.appendingPathComponent("a-file")
        try Data("not a folder".utf8).write(to: blocker)
        var problems: [String] = []
        var recording = RunRecording(store: store)
        recording.onLogProblem = { problems.append($0.message) }
        let config = loggingConfig(blocker.appendingPathComponent("logs"))
        let recorder = recording.begin(RunStart(dataset: Self.dataset, model: Self.spec, config: config))
        recorder.end(after: try recorder.train(try makeTrainer(config: config), epochs: 1))
        XCTAssertEqual(problems.count, 1, "\(problems)")
        XCTAssertTrue(problems.first?.contains("cannot create the TensorBoard log folder '\(blocker.path)/logs/run-") == true, "\(problems)")
        XCTAssertTrue(problems.first?.hasSuffix(": '\(blocker.path)' is a file, not a folder") == true, "\(problems)")
        XCTAssertEqual(try store.runs().first?.status, .finished)
        XCTAssertEqual(try store.epochs(of: try XCTUnwrap(recorder.runID)).count, 1)
    }
}

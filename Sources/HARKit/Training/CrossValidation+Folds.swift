import Foundation
import Torch

extension CrossValidation {
    /// One trained and tested fold as its recorder saw it: what the rank that trained it sends to the others in a
    /// job (JSON through the store), and what one process turns into a `CrossValidationFold` at once.
    struct FoldReport: Codable {
        /// 0-based fold number.
        var index: Int
        /// The held-out subjects.
        var testSubjects: [Int]
        /// Test windows of the fold.
        var testWindows: Int
        /// The run's label, "cv fold I/K (test subjects …)".
        var label: String
        /// The fold dataset's preprocessing protocol as JSON (its normalisation statistics are the fold's own).
        var datasetProtocol: String
        /// When and where the fold began training.
        var startedAt: Date
        var host: String
        /// The epochs trained.
        var history: [EpochRecord]
        /// Why training ended.
        var reason: StopReason
        /// The test metrics and per-subject scores; nil when the fold was stopped (Ctrl-C) before it was tested.
        var metrics: ClassificationMetrics?
        var subjects: SubjectScores?
        /// The fold's run in the store: set by the recorder that recorded it (live in one process, rank 0's in a job).
        var runID: Int64?

        /// Seconds of training (the sum of the epochs').
        var trainSeconds: Double { history.reduce(0) { $0 + $1.seconds } }

        /// The fold's result; nil when it was stopped before it was tested.
        var fold: CrossValidationFold? {
            guard let metrics, let subjects else { return nil }
            return CrossValidationFold(index: index + 1, testSubjects: testSubjects, testWindows: testWindows, metrics: metrics,
                                       history: history, runID: runID, subjects: subjects, rank: rank)
        }

        /// Whether the fold began training (a fold a stopped job skipped did not, and is not recorded).
        var began = true
        /// The rank of the job that trained it; nil in one process.
        var rank: Int?

        /// How the fold's run ended.
        var end: RunEnd {
            guard reason != .cancelled else { return RunEnd(status: .cancelled, message: "cross-validation was stopped", trainSeconds: trainSeconds) }
            return RunEnd(after: reason, trainSeconds: trainSeconds)
        }
    }

    /// Trains fold `index` of `groups` from a fresh model seeded with `config.seed` (the same on any rank and in any
    /// order: each fold seeds libtorch's generator itself), tests it on its held-out subjects, and records it into the
    /// recorder `begin` returns for its start, as it goes.
    /// - Throws: errors of model building, training or evaluation (the recorder then ends the run as failed).
    func trainFold(_ index: Int, of groups: [[Int]], dataset: HARDataset, spec: ModelSpec, config: TrainingConfig,
                   events: ((_ fold: Int, TrainingEvent) -> Void)?, shouldStop: @escaping () -> Bool,
                   begin: (RunStart) -> RunRecorder) throws -> FoldReport {
        let test = groups[index]
        let fold = try CrossValidation.foldDataset(dataset, testSubjects: test, config: config)
        Runtime.manualSeed(config.seed)
        let input = InputShape(time: fold.windowLength, channels: fold.channelCount, classes: fold.classNames.count)
        let trainer = try Trainer(model: try ModelFactory.make(spec, input: input), dataset: fold, config: config, augmentation: augmentation)
        let label = "cv fold \(index + 1)/\(groups.count) (test subjects \(test.map(String.init).joined(separator: ",")))"
        let start = RunStart(dataset: fold, model: spec, config: config, augmentation: augmentation?.description, label: label, kind: .fold)
        let recorder = begin(start)
        let outcome = try recorder.train(trainer, epochs: epochs, events: events.map { events in { events(index + 1, $0) } },
                                         shouldStop: shouldStop)
        var report = FoldReport(index: index, testSubjects: test, testWindows: fold.indices(in: .test).count, label: label,
                                datasetProtocol: start.datasetProtocol, startedAt: start.startedAt, host: start.host,
                                history: outcome.records, reason: outcome.reason, runID: recorder.runID)
        recorder.end(report.end)
        if outcome.reason != .cancelled {
            let evaluation = try Evaluator(model: trainer.model, dataset: fold).evaluate(split: .test)
            report.metrics = evaluation.metrics
            report.subjects = SubjectScores(evaluation, of: fold)
        }
        if let metrics = report.metrics, let subjects = report.subjects {
            recorder.evaluated(metrics)
            recorder.evaluated(bySubject: subjects)
        }
        return report
    }

    /// The folds shared out between the ranks of `job`: a rank that is free takes the next fold from a counter in
    /// the job's store (a dynamic queue) and trains it alone, single-process; every rank receives every fold's
    /// report in fold order and records it (only rank 0's `recording` has a store) as one process would have,
    /// epoch by epoch, as a member of `whole`. Which rank trains which fold does not change its result, given the
    /// same libtorch thread count on every rank (a fold's float arithmetic depends on it).
    /// - Returns: whether Ctrl-C (on any rank) stopped it.
    /// - Throws: `DistributedError` when a rank died or the store stopped answering; a fold's error, on every rank.
    func runFolds(_ groups: [[Int]], of dataset: HARDataset, spec: ModelSpec, config: TrainingConfig, recording: RunRecording,
                  job: DataParallel, into results: inout [CrossValidationFold], whole: RunRecorder,
                  progress: ((CrossValidationFold) -> Void)?, events: ((_ fold: Int, TrainingEvent) -> Void)?,
                  shouldStop: @escaping () -> Bool) throws -> Bool {
        let farm = try JobFarm(job: job, what: "the cross-validation")
        var cancelled = false
        var collected: [CrossValidationFold] = []
        var silent = RunRecording.none
        silent.writesTensorBoardLog = false
        do {
            let stopping = farm.stopping(shouldStop)
            try farm.run(round: 0, tasks: Array(groups.indices), sticky: false, body: { index -> FoldReport in
                guard !stopping() else {
                    try farm.checkPeers(force: true)
                    return FoldReport(index: index, testSubjects: groups[index], testWindows: 0, label: "", datasetProtocol: "{}",
                                      startedAt: Date(), host: "", history: [], reason: .cancelled, began: false)
                }
                // Trained unrecorded here: every rank records the report when it collects it (only rank 0 has a store).
                var report = try trainFold(index, of: groups, dataset: dataset, spec: spec, config: config, events: events,
                                           shouldStop: stopping) { silent.begin($0) }
                try farm.checkPeers(force: true)
                if report.metrics == nil { try farm.requestStop() }
                report.rank = job.rank
                return report
            }, collect: { _, report in
                var report = report
                guard report.metrics != nil else {
                    // A fold stopped by Ctrl-C is recorded as one process records it: only if it had begun.
                    if report.began { record(&report, of: dataset, spec: spec, config: config, recording: recording, whole: whole) }
                    cancelled = true
                    return
                }
                record(&report, of: dataset, spec: spec, config: config, recording: recording, whole: whole)
                guard let fold = report.fold else { return }
                collected.append(fold)
                progress?(fold)
            })
            try farm.finish()
        } catch {
            farm.abandon()
            results = collected
            throw error
        }
        results = collected
        return cancelled
    }

    /// Records a fold this or another rank trained, as one process records it (begun, its epochs, its end, its
    /// test scores), as a member of `whole` and with the training rank's start time and host; sets the report's run id.
    private func record(_ report: inout FoldReport, of dataset: HARDataset, spec: ModelSpec, config: TrainingConfig,
                        recording: RunRecording, whole: RunRecorder) {
        let recorder = recording.begin(RunStart(dataset: dataset.name, datasetProtocol: report.datasetProtocol, model: spec.description,
                                                config: config, augmentation: augmentation?.description, label: report.label,
                                                kind: .fold, groupID: whole.runID, startedAt: report.startedAt, host: report.host))
        for record in report.history { recorder.epochFinished(record) }
        whole.trainSeconds += recorder.trainSeconds
        recorder.end(report.end)
        if let metrics = report.metrics, let subjects = report.subjects {
            recorder.evaluated(metrics)
            recorder.evaluated(bySubject: subjects)
        }
        report.runID = recorder.runID
    }
}

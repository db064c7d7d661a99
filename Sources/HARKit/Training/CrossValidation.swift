import Foundation
import Torch

/// Cross-validation by subject: leave-one-subject-out, or k folds of subjects. Each fold trains a fresh model on the
/// other subjects, with normalisation statistics refitted on that fold's training (and validation) windows only,
/// and is evaluated on the held-out subjects.
public struct CrossValidation {
    /// How subjects are grouped into test folds.
    public enum Folds: Sendable, Equatable, CustomStringConvertible {
        /// One fold per subject.
        case leaveOneSubjectOut
        /// `k` folds of subjects, dealt in a seeded random order.
        case subjectGroups(Int)

        public var description: String {
            switch self {
            case .leaveOneSubjectOut: return "leave-one-subject-out"
            case .subjectGroups(let k): return "\(k) folds of subjects"
            }
        }
    }

    /// The fold scheme.
    public var folds: Folds
    /// Epochs each fold trains.
    public var epochs: Int
    /// The augmentation every fold's training batches get (nil: none).
    public var augmentation: AugmentationPipeline?

    /// Cross-validation with `folds`, training `epochs` epochs per fold with `augmentation`.
    /// - Throws: `TuningError` when `epochs` is below 1 or `k` below 2.
    public init(folds: Folds, epochs: Int, augmentation: AugmentationPipeline? = nil) throws {
        guard epochs >= 1 else { throw TuningError("epochs must be at least 1, got \(epochs)") }
        if case .subjectGroups(let k) = folds, k < 2 { throw TuningError("cross-validation needs at least 2 folds, got \(k)") }
        (self.folds, self.epochs, self.augmentation) = (folds, epochs, augmentation)
    }

    /// The test subjects of each fold.
    /// - Throws: `TuningError` when there are fewer subjects than folds.
    public func testSubjects(of subjects: [Int], seed: UInt64) throws -> [[Int]] {
        let distinct = Array(Set(subjects)).sorted()
        switch folds {
        case .leaveOneSubjectOut:
            guard distinct.count >= 2 else { throw TuningError("leave-one-subject-out needs at least 2 subjects, the dataset has \(distinct.count)") }
            return distinct.map { [$0] }
        case .subjectGroups(let k):
            guard distinct.count >= k else { throw TuningError("\(k) folds need at least \(k) subjects, the dataset has \(distinct.count)") }
            var generator = SeededGenerator(seed: seed, stream: 0x6376)
            let order = distinct.shuffled(using: &generator)
            return (0..<k).map { fold in stride(from: fold, to: order.count, by: k).map { order[$0] }.sorted() }
        }
    }

    /// Runs every fold of `spec` with `config` on all windows of `dataset`.
    /// - Parameters:
    ///   - recording: where the cross-validation is recorded as one result (kind `cv`, its figures the mean ± std over
    ///     its folds) and each fold as a member of it (kind `fold`, label "cv fold I/K"), epoch by epoch.
    ///   - progress: called after each fold.
    ///   - events: every training event of every fold, with the fold's 1-based number (for a progress bar).
    ///   - shouldStop: polled between batches; the folds finished so far are returned.
    ///   - job: the distributed job this rank belongs to, if any: every rank calls `run` alike, and the folds are shared
    ///     out between the ranks, each trained on one rank alone (see `runFolds(_:of:spec:config:recording:job:…)`).
    /// - Throws: `TuningError` for an impossible fold scheme; errors of model building or training (a run store that
    ///   fails is reported through `recording`, never thrown); in a job, `DistributedError` when a rank died.
    public func run(dataset: HARDataset, spec: ModelSpec, config: TrainingConfig, recording: RunRecording = .none,
                    progress: ((CrossValidationFold) -> Void)? = nil, events: ((_ fold: Int, TrainingEvent) -> Void)? = nil,
                    shouldStop: @escaping () -> Bool = { false }, job: DataParallel? = nil) throws -> CrossValidationResult {
        let groups = try testSubjects(of: dataset.subjects, seed: config.seed)
        var results: [CrossValidationFold] = []
        // Every rank checks that the others cross-validate the same data, model and settings before any fold.
        try job?.agree(on: .training(dataset: dataset, model: spec, config: config))
        let whole = recording.begin(RunStart(dataset: dataset, model: spec, config: config, augmentation: augmentation?.description,
                                             label: "cv \(groups.count) folds (\(folds)), \(counted(epochs, "epoch")) each",
                                             kind: .cv))
        var cancelled = false
        do {
            if let job {
                cancelled = try runFolds(groups, of: dataset, spec: spec, config: config, recording: recording, job: job, into: &results,
                                         whole: whole, progress: progress, events: events, shouldStop: shouldStop)
            } else {
                cancelled = try runFolds(groups, of: dataset, spec: spec, config: config, recording: recording, into: &results,
                                         whole: whole, progress: progress, events: events, shouldStop: shouldStop)
            }
        } catch {
            whole.end(RunEnd(status: .failed, message: "fold \(results.count + 1) failed: \(error)", trainSeconds: whole.trainSeconds))
            throw error
        }
        if !results.isEmpty {
            whole.summarised(ResultSpread(results.map(\.metrics)))
            whole.evaluated(bySubject: SubjectScores(rows: results.flatMap(\.subjects.rows)))
        }
        whole.end(RunEnd(status: cancelled ? .cancelled : .finished,
                         message: cancelled ? "cross-validation was stopped after \(results.count) of \(groups.count) folds" : nil,
                         trainSeconds: whole.trainSeconds))
        return CrossValidationResult(folds: results, scheme: folds, cancelled: cancelled, runID: whole.runID)
    }

    /// Trains and evaluates each fold in turn, appending it to `results`; returns whether it was stopped.
    private func runFolds(_ groups: [[Int]], of dataset: HARDataset, spec: ModelSpec, config: TrainingConfig, recording: RunRecording,
                          into results: inout [CrossValidationFold], whole: RunRecorder,
                          progress: ((CrossValidationFold) -> Void)?, events: ((_ fold: Int, TrainingEvent) -> Void)?,
                          shouldStop: @escaping () -> Bool) throws -> Bool {
        for index in groups.indices {
            let report = try trainFold(index, of: groups, dataset: dataset, spec: spec, config: config, events: events,
                                       shouldStop: shouldStop) { start in
                var member = start
                member.groupID = whole.runID
                return recording.begin(member)
            }
            whole.trainSeconds += report.trainSeconds
            guard let result = report.fold else { return true }
            results.append(result)
            progress?(result)
        }
        return false
    }

    /// `dataset` with `testSubjects` as test, a seeded `config.validationFraction` of the other subjects as validation,
    /// the rest as training, and the windows z-scored with statistics fitted on the training and validation windows.
    static func foldDataset(_ dataset: HARDataset, testSubjects: [Int], config: TrainingConfig) throws -> HARDataset {
        let test = Set(testSubjects)
        let others = Array(Set(dataset.subjects).subtracting(test)).sorted()
        guard !others.isEmpty else { throw TuningError("a fold cannot hold out every subject") }
        var generator = SeededGenerator(seed: config.seed, stream: 0x7661, UInt64(testSubjects.first ?? 0))
        let validationCount = config.validationFraction > 0 && others.count >= 2
            ? min(others.count - 1, max(1, Int((config.validationFraction * Double(others.count)).rounded()))) : 0
        let validation = Set(others.shuffled(using: &generator).prefix(validationCount))
        var fold = dataset
        fold.splits = dataset.subjects.map { test.contains($0) ? .test : (validation.contains($0) ? .validation : .train) }
        let original = dataset.protocolDescription, channels = dataset.channelCount
        fold.protocolDescription.split = "subjects:" + testSubjects.map(String.init).joined(separator: ",")
        guard original.normalized else { return fold }
        for index in fold.windows.indices {
            fold.windows[index] = fold.windows[index] * original.std[index % channels] + original.mean[index % channels]
        }
        let fitted = fold.splits.indices.filter { fold.splits[$0] != .test }
        let size = fold.windowSize
        var fitting = [Float]()
        fitting.reserveCapacity(fitted.count * size)
        for window in fitted { fitting += fold.windows[(window * size)..<((window + 1) * size)] }
        let (mean, std) = ChannelStatistics.fit(fitting, rows: fitted.count * fold.windowLength, channels: channels)
        ChannelStatistics.apply(mean: mean, std: std, to: &fold.windows, channels: channels)
        fold.protocolDescription.mean = mean
        fold.protocolDescription.std = std
        return fold
    }
}

import Foundation

/// Records one run in the run store as it happens, observing the trainer's events as a Keras callback does: the start,
/// each epoch the moment it finishes (one short transaction, so a process killed during epoch N leaves epochs 1…N−1
/// recorded and the run `interrupted`), how it ended, its test metrics and its checkpoint.
///
/// Made by `RunRecording.begin(_:)` or `resume(_:earlierSeconds:)`. A store failure never reaches the caller as an
/// error: the recorder stops writing and reports it once through the recording's `onProblem` (see `RunRecording`).
public final class RunRecorder {
    /// The run's id in the store; nil when there is no store or the run could not be started there.
    public private(set) var runID: Int64?
    /// The store failure that stopped this run's recording, if one did.
    public private(set) var problem: RunStoreError?
    /// Seconds of training recorded for this run so far (the sum of its epochs' times).
    public internal(set) var trainSeconds = 0.0

    private let store: RunStore?
    private let onProblem: (RunStoreError) -> Void
    /// What follows the run besides the store: its TensorBoard log, when one is configured.
    private var observers: [RunObserver] = []

    init(store: RunStore?, onProblem: @escaping (RunStoreError) -> Void, start: (RunStore) throws -> Int64) {
        self.store = store
        self.onProblem = onProblem
        write { runID = try start($0) }
    }

    /// Trains `trainer` for `epochs` epochs (`continuingSchedule`: see `Trainer.train`), recording each epoch as it
    /// finishes; `events` sees every event after the recorder. A call that throws ends the run as `failed` with the
    /// error's text before rethrowing; otherwise the run stays `running` until `end(_:)` or `end(after:)`.
    /// - Throws: what `Trainer.train` throws.
    public func train(_ trainer: Trainer, epochs: Int, continuingSchedule: Bool = false, events: ((TrainingEvent) -> Void)? = nil,
                      shouldStop: @escaping () -> Bool = { false }) throws -> TrainingOutcome {
        do {
            return try trainer.train(epochs: epochs, continuingSchedule: continuingSchedule, events: { [self] event in
                if case .epochFinished(let record) = event { epochFinished(record) }
                events?(event)
            }, shouldStop: shouldStop)
        } catch {
            end(RunEnd(status: .failed, message: "\(error)", trainSeconds: trainSeconds))
            throw error
        }
    }

    /// Adds `observer`, which hears of every epoch and end recorded from now on.
    func observe(_ observer: RunObserver) { observers.append(observer) }

    /// Records one finished epoch.
    public func epochFinished(_ record: EpochRecord) {
        trainSeconds += record.seconds
        for observer in observers { observer.epochFinished(record) }
        guard let runID else { return }
        write { try $0.append(record, to: runID) }
    }

    /// Records how the run ended.
    public func end(_ end: RunEnd) {
        for observer in observers { observer.runEnded(end) }
        guard let runID else { return }
        write { try $0.finish(runID, end) }
    }

    /// Records the end a training outcome means: finished, stopped early, cancelled or failed (diverged).
    public func end(after outcome: TrainingOutcome) {
        end(RunEnd(after: outcome.reason, trainSeconds: trainSeconds))
    }

    /// Records the run's test metrics and, when measured, its inference timing.
    public func evaluated(_ metrics: ClassificationMetrics, inference: InferenceTiming? = nil) {
        guard let runID else { return }
        write { try $0.setEvaluation(of: runID, metrics: metrics, inference: inference) }
    }

    /// Records the run's test scores per subject.
    public func evaluated(bySubject scores: SubjectScores) {
        guard let runID else { return }
        write { try $0.setSubjectScores(of: runID, scores) }
    }

    /// Records the spread of this group result over its members (see `RunStore.setSpread(of:_:)`).
    public func summarised(_ spread: ResultSpread) {
        guard let runID else { return }
        write { try $0.setSpread(of: runID, spread) }
    }

    /// Sets the run's label.
    public func labelled(_ label: String) {
        guard let runID else { return }
        write { try $0.setLabel(of: runID, to: label) }
    }

    /// Records where the run's checkpoint was saved.
    public func checkpointSaved(at path: String) {
        guard let runID else { return }
        write { try $0.setCheckpoint(of: runID, path: path) }
    }

    /// Runs one store write unless an earlier one failed; the first failure is kept and reported.
    private func write(_ body: (RunStore) throws -> Void) {
        guard let store, problem == nil else { return }
        do {
            try body(store)
        } catch {
            let failure = error as? RunStoreError ?? RunStoreError("run store '\(store.url.path)': \(error)")
            problem = failure
            onProblem(failure)
        }
    }
}

import Foundation

/// Where the runs of `train`, `tune` and `cv` are recorded, and who hears when recording fails.
///
/// One failure policy for every command: a run store that cannot be written never fails or stops the training it
/// records. The run's recorder stops writing after its first failure and `onProblem` hears of it once for that run
/// (the shell prints a warning on standard error, and a script or `-c` then exits non-zero).
public struct RunRecording {
    /// The store runs go to; nil records nothing (runs stay with the caller).
    public var store: RunStore?
    /// Why there is no store although one was wanted (it could not be opened): each new run is then reported
    /// to `onProblem` as not recorded.
    public var unavailable: RunStoreError?
    /// Told of the first store failure of each run.
    public var onProblem: (RunStoreError) -> Void
    /// Told of the first failure of each run's TensorBoard log (the config's `tensorBoardDirectory`), which then
    /// stops; the training goes on.
    public var onLogProblem: (TensorBoardError) -> Void = { _ in }
    /// Whether runs get the TensorBoard log their configuration names (false on the ranks of a distributed job
    /// other than 0, which write no shared files).
    public var writesTensorBoardLog = true

    /// Recording into `store` (or, when it is nil because opening failed, reporting `unavailable` for each run),
    /// reporting failures to `onProblem`.
    public init(store: RunStore?, unavailable: RunStoreError? = nil, onProblem: @escaping (RunStoreError) -> Void = { _ in }) {
        self.store = store
        self.unavailable = unavailable
        self.onProblem = onProblem
    }

    /// Records nothing.
    public static var none: RunRecording { RunRecording(store: nil) }

    /// Starts recording a new run (status `running`, owned by this process), with its TensorBoard log when the
    /// configuration names a log folder and the run trains (not a group result).
    public func begin(_ start: RunStart) -> RunRecorder {
        if store == nil, let unavailable { onProblem(unavailable) }
        let recorder = RunRecorder(store: store, onProblem: onProblem) { try $0.begin(start) }
        // A group result (a cv, a search, repeated seeds) trains nothing itself: its members have the logs.
        if start.kind.memberKind == nil { startLog(of: recorder, start: start, resumed: false) }
        return recorder
    }

    /// Continues recording run `id` of the store (a later `train` of the same model): it is `running` again,
    /// `earlierSeconds` of training already belong to it, and `settings` (when given) join its settings history
    /// if they train differently from its latest. `start` describes the run as it continues (its settings now), for
    /// its TensorBoard log; nil logs nothing.
    public func resume(_ id: Int64, earlierSeconds: Double, start: RunStart? = nil, settings: RunSettings? = nil) -> RunRecorder {
        let recorder = RunRecorder(store: store, onProblem: onProblem) { store in
            try store.resume(id, with: settings)
            return id
        }
        recorder.trainSeconds = earlierSeconds
        if let start { startLog(of: recorder, start: start, resumed: true) }
        return recorder
    }

    /// Starts the TensorBoard log of `recorder`'s run when `start.config` names a log directory; a log that cannot
    /// start is reported to `onLogProblem`.
    private func startLog(of recorder: RunRecorder, start: RunStart, resumed: Bool) {
        guard writesTensorBoardLog, let directory = start.config.tensorBoardDirectory else { return }
        do {
            recorder.observe(try TensorBoardRunLog(directory: URL(fileURLWithPath: directory), runID: recorder.runID, start: start,
                                                   resumed: resumed, onProblem: onLogProblem))
        } catch {
            onLogProblem(error as? TensorBoardError ?? TensorBoardError("TensorBoard log in '\(directory)': \(error)"))
        }
    }

    /// Records more about run `id` (its evaluation, its checkpoint) without changing its status.
    public func recorder(for id: Int64) -> RunRecorder {
        RunRecorder(store: store, onProblem: onProblem) { _ in id }
    }
}

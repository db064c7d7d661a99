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

    /// Recording into `store` (or, when it is nil because opening failed, reporting `unavailable` for each run),
    /// reporting failures to `onProblem`.
    public init(store: RunStore?, unavailable: RunStoreError? = nil, onProblem: @escaping (RunStoreError) -> Void = { _ in }) {
        self.store = store
        self.unavailable = unavailable
        self.onProblem = onProblem
    }

    /// Records nothing.
    public static var none: RunRecording { RunRecording(store: nil) }

    /// Starts recording a new run (status `running`, owned by this process).
    public func begin(_ start: RunStart) -> RunRecorder {
        if store == nil, let unavailable { onProblem(unavailable) }
        return RunRecorder(store: store, onProblem: onProblem) { try $0.begin(start) }
    }

    /// Continues recording run `id` of the store (a later `train` of the same model): it is `running` again,
    /// `earlierSeconds` of training already belong to it, and `settings` (when given) join its settings history
    /// if they train differently from its latest.
    public func resume(_ id: Int64, earlierSeconds: Double, settings: RunSettings? = nil) -> RunRecorder {
        let recorder = RunRecorder(store: store, onProblem: onProblem) { store in
            try store.resume(id, with: settings)
            return id
        }
        recorder.trainSeconds = earlierSeconds
        return recorder
    }

    /// Records more about run `id` (its evaluation, its checkpoint) without changing its status.
    public func recorder(for id: Int64) -> RunRecorder {
        RunRecorder(store: store, onProblem: onProblem) { _ in id }
    }
}

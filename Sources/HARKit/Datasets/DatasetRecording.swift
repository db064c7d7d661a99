/// One continuous recording that a dataset's windows were cut from, kept so it can be replayed as a stream
/// (`replay`): its raw samples, its subject and activity, and the dataset index of each of its windows.
public struct DatasetRecording: Sendable {
    /// Subject (or session) id.
    public var subject: Int
    /// Class index of the activity recorded.
    public var label: Int
    /// Samples, `rows × channels`, row-major, as the loader read them (after resampling, before normalisation).
    public var values: [Float]
    /// Number of samples (time steps).
    public var rows: Int
    /// The dataset index of each window cut from this recording, in order: window `w` starts at sample `w × stride`.
    public var windowIndices: [Int]
}

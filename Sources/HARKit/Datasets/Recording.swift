/// A contiguous run of samples of one subject (or file) and one label, as a loader read it: `rows × channels` values, row-major.
struct Recording: Sendable {
    /// Subject (or session) id.
    var subject: Int
    /// Class index.
    var label: Int
    /// What the reference tool concatenates by before windowing (subject or file id), together with the label.
    var group: Int
    /// Whether the dataset's official split puts this recording in test.
    var isOfficialTest: Bool
    /// Samples, row-major.
    var values: [Float]
    /// Number of samples (time steps).
    var rows: Int
}

/// What a loader hands to `DatasetAssembler`: the recordings it read, their meaning, and the dataset's reference protocol.
struct DatasetSource: Sendable {
    /// Short dataset name.
    var name: String
    /// Contiguous runs of one subject (or file) and one label, in reading order.
    var recordings: [Recording]
    /// Class names, indexed by label.
    var classNames: [String]
    /// Channel names.
    var channelNames: [String]
    /// Samples per second of the recordings.
    var sampleRate: Double
    /// The reference window length.
    var defaultWindow: Int
    /// The reference overlap.
    var defaultOverlap: Double
    /// What `split=official` (and the default) means here; `.official` itself means each recording's `isOfficialTest`.
    var officialSplit: SplitRule
    /// Whether the reference protocol normalises.
    var defaultNormalize = true
    /// Where the data was read from.
    var sourcePath: String
    /// Dropped-record report lines from reading.
    var dropped: [String] = []
    /// Whether recordings are already windows (UCI-HAR): then windowing=reference changes nothing.
    var isPrewindowed = false
}

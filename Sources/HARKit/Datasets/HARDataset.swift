import Foundation

/// One loaded dataset: windows `[N, T, C]` (row-major, contiguous), a label, subject and split per window, and how it was made.
public struct HARDataset: Sendable {
    /// Short name ("synthetic", "dsads", ...).
    public var name: String
    /// `N × T × C` values, row-major: window, then time step, then channel.
    public var windows: [Float]
    /// Class index per window, in `0..<classNames.count`.
    public var labels: [Int]
    /// Subject (or session/file) id per window.
    public var subjects: [Int]
    /// Split membership per window.
    public var splits: [DatasetSplit]
    /// Class names, indexed by label.
    public var classNames: [String]
    /// Channel names, e.g. `T_acc_x`; tri-axial groups share a prefix and end in `_x`, `_y`, `_z`.
    public var channelNames: [String]
    /// Samples per second.
    public var sampleRate: Double
    /// Time steps per window (T).
    public var windowLength: Int
    /// Channels per time step (C).
    public var channelCount: Int
    /// The preprocessing that produced the windows.
    public var protocolDescription: DatasetProtocol
    /// The continuous recordings the windows were cut from, in reading order; empty when the dataset was read as
    /// windows (an `.npy` folder, the dataset cache).
    public var recordings: [DatasetRecording] = []

    /// Creates a dataset, checking that every per-window array has one entry per window.
    /// - Throws: `DatasetError` when the arrays disagree in length or a label is out of range.
    public init(name: String, windows: [Float], labels: [Int], subjects: [Int], splits: [DatasetSplit],
                classNames: [String], channelNames: [String], sampleRate: Double, windowLength: Int,
                protocolDescription: DatasetProtocol) throws {
        let channels = channelNames.count
        guard windowLength > 0, channels > 0, windows.count == labels.count * windowLength * channels,
              subjects.count == labels.count, splits.count == labels.count else {
            throw DatasetError("dataset '\(name)': \(labels.count) labels, \(subjects.count) subjects, \(splits.count) split entries and \(windows.count) values do not make [N, \(windowLength), \(channels)] windows")
        }
        if let bad = labels.first(where: { $0 < 0 || $0 >= classNames.count }) {
            throw DatasetError("dataset '\(name)': label \(bad) is outside the \(classNames.count) classes")
        }
        self.name = name
        self.windows = windows
        self.labels = labels
        self.subjects = subjects
        self.splits = splits
        self.classNames = classNames
        self.channelNames = channelNames
        self.sampleRate = sampleRate
        self.windowLength = windowLength
        self.channelCount = channels
        self.protocolDescription = protocolDescription
    }

    /// Number of windows (N).
    public var count: Int { labels.count }

    /// Values per window (T × C).
    public var windowSize: Int { windowLength * channelCount }

    /// The indices of the windows in `split`, in dataset order.
    public func indices(in split: DatasetSplit) -> [Int] {
        splits.indices.filter { splits[$0] == split }
    }

    /// The distinct subjects of `split`, sorted.
    public func subjects(in split: DatasetSplit) -> [Int] {
        Array(Set(indices(in: split).map { subjects[$0] })).sorted()
    }

    /// Windows per class in `split`, indexed by label.
    public func classCounts(in split: DatasetSplit) -> [Int] {
        var counts = [Int](repeating: 0, count: classNames.count)
        for index in indices(in: split) { counts[labels[index]] += 1 }
        return counts
    }
}

extension HARDataset {
    /// Writes the windows in the Python reference tool's layout (`x_train.npy` with the training and validation
    /// windows, `y_train.npy`, `x_test.npy`, `y_test.npy`, NumPy format 1.0) plus `harlab.json`, atomically
    /// (a temporary folder renamed into place), so the reference can train on exactly these windows.
    /// - Throws: `DatasetError` when the folder cannot be written; nothing is left behind then.
    public func writeNpyFolder(to folder: URL) throws { try NpyFolder.write(self, to: folder) }
}

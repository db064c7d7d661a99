/// The samples a replay streams: the continuous recordings of a split, a subject or one recording of a dataset,
/// joined in reading order into one stream, with the true activity of every sample.
///
/// Of each recording only the stretch its selected windows cover is streamed (from the first one's start to the last
/// one's end), so `replay test` streams the test windows' samples and nothing of the training data. Replaying one
/// recording from its first sample with a hop of the dataset's stride makes windows `0, 1, 2, …` of the stream the
/// recording's windows `windowIndices[0], [1], [2], …` of the dataset.
public struct ReplaySource: Sendable {
    /// What to replay.
    public enum Selection: Sendable, Equatable {
        /// Every recording with windows in the split, in reading order.
        case split(DatasetSplit)
        /// Every recording of one subject.
        case subject(Int)
        /// One recording, numbered from 1 in reading order.
        case recording(Int)
    }

    /// One recording's stretch in the stream.
    public struct Part: Sendable, Equatable {
        /// The recording's index in `HARDataset.recordings`.
        public var recording: Int
        /// The stretch's first sample in the recording.
        public var start: Int
        /// The stretch's first sample in the stream.
        public var offset: Int
        /// Samples in the stretch.
        public var rows: Int
    }

    /// The recordings' stretches in stream order.
    public var parts: [Part]
    /// Samples, `rows × channels`, row-major, raw (before normalisation), as the recordings hold them.
    public var values: [Float]
    /// The true class of every sample.
    public var truth: [Int]
    /// Channels per sample.
    public var channels: Int
    /// A short description (`test split: 30 recordings of subjects 16–20`).
    public var description: String

    /// Samples in the stream.
    public var rows: Int { truth.count }

    /// The stream `selection` picks from `dataset`.
    /// - Throws: `ReplayError` when the dataset keeps no recordings, the subject or recording is absent, or the
    ///   selection is empty.
    public init(_ dataset: HARDataset, selection: Selection) throws {
        guard !dataset.recordings.isEmpty else {
            throw ReplayError("\(dataset.name) was read as windows (from an .npy folder or the dataset cache) and keeps no continuous "
                              + "recordings to replay: load it from its original files (with cache=off when it is cached)")
        }
        let stride = dataset.protocolDescription.stride, window = dataset.windowLength
        var chosen: [(index: Int, windows: [Int])] = []
        switch selection {
        case .split(let split):
            for (index, recording) in dataset.recordings.enumerated() {
                let windows = recording.windowIndices.indices.filter { dataset.splits[recording.windowIndices[$0]] == split }
                if !windows.isEmpty { chosen.append((index, windows)) }
            }
            guard !chosen.isEmpty else { throw ReplayError("the \(split.rawValue) split of \(dataset.name) is empty: nothing to replay") }
        case .subject(let subject):
            chosen = dataset.recordings.indices.filter { dataset.recordings[$0].subject == subject }
                .map { ($0, Array(dataset.recordings[$0].windowIndices.indices)) }
            guard !chosen.isEmpty else {
                let subjects = Set(dataset.recordings.map(\.subject)).sorted().map(String.init).joined(separator: ", ")
                throw ReplayError("subject \(subject) has no recordings in \(dataset.name) (its subjects: \(subjects))")
            }
        case .recording(let number):
            guard (1...dataset.recordings.count).contains(number) else {
                throw ReplayError("recording \(number) does not exist: \(dataset.name) has recordings 1…\(dataset.recordings.count)")
            }
            chosen = [(number - 1, Array(dataset.recordings[number - 1].windowIndices.indices))]
        }
        channels = dataset.channelCount
        parts = []
        values = []
        truth = []
        for (index, windows) in chosen {
            let recording = dataset.recordings[index]
            let start = windows.first! * stride, end = min(recording.rows, windows.last! * stride + window)
            parts.append(Part(recording: index, start: start, offset: truth.count, rows: end - start))
            values += recording.values[(start * channels)..<(end * channels)]
            truth += [Int](repeating: recording.label, count: end - start)
        }
        let subjects = Set(chosen.map { dataset.recordings[$0.index].subject }).sorted()
        let who = subjects.count == 1 ? "subject \(subjects[0])" : "subjects \(subjects.map(String.init).joined(separator: ", "))"
        switch selection {
        case .split(let split): description = "\(split.rawValue) split: \(counted(chosen.count, "recording")) of \(who)"
        case .subject: description = "\(who): \(counted(chosen.count, "recording"))"
        case .recording(let number):
            description = "recording \(number): \(who), \(dataset.classNames[dataset.recordings[number - 1].label])"
        }
    }
}

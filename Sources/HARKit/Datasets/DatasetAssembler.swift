import Foundation

/// Turns recordings into a `HARDataset`: optional resampling, windowing (contiguous or reference), split, validation carving and z-scoring.
enum DatasetAssembler {
    /// Builds the dataset `options` describe from `source`.
    /// - Throws: `DatasetError` when the split names absent subjects, leaves a part empty, or no recording is as long as a window.
    static func assemble(_ source: DatasetSource, options: DatasetOptions) throws -> HARDataset {
        let channels = source.channelNames.count
        var dropped = source.dropped
        var recordings = options.windowing == .reference && !source.isPrewindowed ? concatenatedByGroup(source.recordings) : source.recordings
        if let kept = options.subjects { recordings = try keeping(kept, of: recordings, source: source) }
        var rate = source.sampleRate
        if let target = options.rate, abs(target - rate) > 1e-9 {
            guard (rate / target).isFinite else { throw DatasetError("rate \(target) Hz is too low to resample recordings of \(rate) Hz") }
            let resampledValues = recordings.reduce(0.0) { $0 + (Double($1.rows) * target / rate + 1) * Double(channels) }
            try checkSize(resampledValues, what: "resampling to \(target) Hz")
            recordings = recordings.map { resampled($0, channels: channels, from: rate, to: target) }
            rate = target
        }
        let window = options.window ?? source.defaultWindow
        let overlap = options.overlap ?? source.defaultOverlap
        let step = Double(window) * (1 - overlap)
        let stride = step < 9e18 ? Int(step) : Int.max
        guard stride >= 1 else { throw DatasetError("overlap \(overlap) leaves a window step of 0 samples for window \(window)") }
        let counts = recordings.map { $0.rows >= window ? ($0.rows - window) / stride + 1 : 0 }
        let short = counts.filter { $0 == 0 }.count
        guard counts.contains(where: { $0 > 0 }) else {
            let longest = recordings.map(\.rows).max() ?? 0
            throw DatasetError("\(source.name) at '\(source.sourcePath)': window \(window) is longer than every recording (the longest has \(longest) samples)")
        }
        if short > 0 { dropped.append("\(short) recordings shorter than the window (\(window) samples) gave no windows") }

        let rule = options.split ?? source.officialSplit
        let resolved = rule == .official ? source.officialSplit : rule
        var perRecording = try splits(of: recordings, counts: counts, rule: resolved, isDefault: options.split == nil, source: source)
        carveValidation(&perRecording, recordings: recordings, rule: resolved, fraction: options.validationFraction, seed: options.seed)

        let total = counts.reduce(0, +)
        try checkSize(Double(total) * Double(window) * Double(channels), what: "\(total) windows of \(window) samples")
        let size = window * channels
        var windows = [Float](unsafeUninitializedCapacity: total * size) { _, initialized in initialized = total * size }
        var labels = [Int](), subjects = [Int](), membership = [DatasetSplit]()
        labels.reserveCapacity(total); subjects.reserveCapacity(total); membership.reserveCapacity(total)
        var windowIndices = counts.map { [Int](repeating: 0, count: $0) }
        windows.withUnsafeMutableBufferPointer { out in
            var next = 0
            for pass in [false, true] {
                for (r, recording) in recordings.enumerated() {
                    recording.values.withUnsafeBufferPointer { values in
                        for w in 0..<counts[r] where (perRecording[r][w] == .test) == pass {
                            (out.baseAddress! + next * size).update(from: values.baseAddress! + w * stride * channels, count: size)
                            windowIndices[r][w] = next
                            next += 1
                            labels.append(recording.label)
                            subjects.append(recording.subject)
                            membership.append(perRecording[r][w])
                        }
                    }
                }
            }
        }
        let kept = zip(recordings, windowIndices).filter { !$1.isEmpty }.map {
            DatasetRecording(subject: $0.subject, label: $0.label, values: $0.values, rows: $0.rows, windowIndices: $1)
        }
        recordings = []
        let normalize = options.normalize ?? source.defaultNormalize
        var mean = [Float](), std = [Float]()
        if normalize {
            let fitted = membership.firstIndex(of: .test) ?? total
            (mean, std) = ChannelStatistics.fit(windows, rows: fitted * window, channels: channels)
            ChannelStatistics.apply(mean: mean, std: std, to: &windows, channels: channels)
        }
        let description = DatasetProtocol(
            window: window, overlap: overlap, stride: stride, split: rule.description == "official" ? "official (\(resolved))" : rule.description,
            normalized: normalize, mean: mean, std: std, windowing: options.windowing.rawValue,
            validationFraction: options.validationFraction, seed: options.seed, sourcePath: source.sourcePath, dropped: dropped)
        var dataset = try HARDataset(name: source.name, windows: windows, labels: labels, subjects: subjects, splits: membership,
                                     classNames: source.classNames, channelNames: source.channelNames, sampleRate: rate,
                                     windowLength: window, protocolDescription: description)
        dataset.recordings = kept
        return dataset
    }

    /// The reference tool's grouping: all runs of one (group, label) joined in reading order, groups in order of first appearance.
    static func concatenatedByGroup(_ recordings: [Recording]) -> [Recording] {
        var byKey = [[Int]: Int]()
        var merged = [Recording]()
        for recording in recordings {
            let key = [recording.group, recording.label]
            if let index = byKey[key] {
                merged[index].values += recording.values
                merged[index].rows += recording.rows
            } else {
                byKey[key] = merged.count
                merged.append(recording)
            }
        }
        return merged
    }

    /// Throws when `values` Float32 values would exceed `ResourceLimits.datasetValues`.
    private static func checkSize(_ values: Double, what: String) throws {
        guard values <= Double(ResourceLimits.datasetValues) else {
            throw DatasetError("\(what) would need about \(ResourceLimits.describe(bytes: values * 4)) of memory; the limit here is "
                               + "\(ResourceLimits.describe(bytes: Double(ResourceLimits.datasetValues) * 4)) (a quarter of the physical memory)")
        }
    }

    /// Linear resampling from `from` Hz to `to` Hz, starting at the first sample.
    static func resampled(_ recording: Recording, channels: Int, from: Double, to: Double) -> Recording {
        guard recording.rows > 1 else { return recording }
        let step = from / to
        let rows = Int((Double(recording.rows - 1) / step).rounded(.down)) + 1
        var values = [Float](repeating: 0, count: rows * channels)
        for j in 0..<rows {
            let position = Double(j) * step
            let i = min(Int(position), recording.rows - 2)
            let t = Float(position - Double(i))
            for c in 0..<channels {
                let a = recording.values[i * channels + c], b = recording.values[(i + 1) * channels + c]
                values[j * channels + c] = a + (b - a) * t
            }
        }
        var result = recording
        result.values = values
        result.rows = rows
        return result
    }

    /// Train/test membership of every window of every recording under `rule`.
    private static func splits(of recordings: [Recording], counts: [Int], rule: SplitRule, isDefault: Bool,
                               source: DatasetSource) throws -> [[DatasetSplit]] {
        var result: [[DatasetSplit]]
        switch rule {
        case .subjects(let ids):
            let present = Set(recordings.map(\.subject))
            let missing = ids.filter { !present.contains($0) }
            if !missing.isEmpty {
                let lead = isDefault ? "the default \(source.name) protocol holds out subjects \(ids.map(String.init).joined(separator: ", ")), but" : "split \(rule):"
                throw DatasetError("\(lead) subject\(missing.count > 1 ? "s" : "") \(missing.map(String.init).joined(separator: ", ")) \(missing.count > 1 ? "are" : "is") absent from '\(source.sourcePath)' (subjects present: \(present.sorted().map(String.init).joined(separator: ", "))); choose held-out subjects with split=subjects:…")
            }
            let held = Set(ids)
            result = zip(recordings, counts).map { [DatasetSplit](repeating: held.contains($0.subject) ? .test : .train, count: $1) }
        case .ratio(let train, let test):
            // Per (group, label): the first train/(train+test) of its windows, over its recordings in order.
            var totals = [[Int]: Int]()
            for (recording, n) in zip(recordings, counts) { totals[[recording.group, recording.label], default: 0] += n }
            var seen = [[Int]: Int]()
            result = zip(recordings, counts).map { recording, n in
                let key = [recording.group, recording.label]
                let kept = totals[key]! * train / (train + test)
                let offset = seen[key, default: 0]
                seen[key] = offset + n
                return (0..<n).map { offset + $0 < kept ? DatasetSplit.train : .test }
            }
        case .official:
            result = zip(recordings, counts).map { [DatasetSplit](repeating: $0.isOfficialTest ? .test : .train, count: $1) }
        }
        let flat = result.joined()
        let origin = source.sourcePath.isEmpty ? "" : " at '\(source.sourcePath)'"
        guard flat.contains(.test) else { throw DatasetError("split \(rule) leaves no test windows in \(source.name)\(origin)") }
        guard flat.contains(.train) else { throw DatasetError("split \(rule) leaves no training windows in \(source.name)\(origin)") }
        return result
    }

    /// Moves a `fraction` of the training data to validation: whole subjects for subject-based splits, else the tail of each recording's training windows.
    private static func carveValidation(_ splits: inout [[DatasetSplit]], recordings: [Recording], rule: SplitRule,
                                        fraction: Double, seed: UInt64) {
        guard fraction > 0 else { return }
        var trainSubjects = Set<Int>()
        for (r, recording) in recordings.enumerated() where splits[r].contains(.train) { trainSubjects.insert(recording.subject) }
        if !isRatio(rule), trainSubjects.count >= 2 {
            var generator = SeededGenerator(seed: seed, stream: 0x7661_6C)
            let chosenCount = min(trainSubjects.count - 1, max(1, Int((fraction * Double(trainSubjects.count)).rounded())))
            let chosen = Set(trainSubjects.sorted().shuffled(using: &generator).prefix(chosenCount))
            for (r, recording) in recordings.enumerated() where chosen.contains(recording.subject) {
                splits[r] = splits[r].map { $0 == .train ? .validation : $0 }
            }
            return
        }
        for r in splits.indices {
            let train = splits[r].indices.filter { splits[r][$0] == .train }
            let moved = Int((Double(train.count) * fraction).rounded())
            guard moved > 0, moved < train.count else { continue }
            for index in train.suffix(moved) { splits[r][index] = .validation }
        }
    }

    private static func isRatio(_ rule: SplitRule) -> Bool {
        if case .ratio = rule { return true }
        return false
    }
}

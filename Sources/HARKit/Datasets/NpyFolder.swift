import FileSupport
import Foundation

/// A folder of `x_train.npy`, `y_train.npy`, `x_test.npy`, `y_test.npy` (the Python reference tool's layout), plus harlab's `harlab.json`.
enum NpyFolder {
    /// The four array files.
    static let arrayNames = ["x_train.npy", "y_train.npy", "x_test.npy", "y_test.npy"]

    /// Writes `dataset` into a new folder at `folder` atomically: everything goes to a temporary sibling that is renamed into place
    /// (and temporaries that killed writers left beside it are removed).
    /// - Throws: `DatasetError` when the folder cannot be written; nothing is left behind then.
    static func write(_ dataset: HARDataset, to folder: URL) throws {
        let train = dataset.splits.indices.filter { dataset.splits[$0] != .test }
        let test = dataset.indices(in: .test)
        let temporary = AtomicFile.temporaryURL(for: folder)
        let files = FileManager.default
        do {
            try files.createDirectory(at: temporary, withIntermediateDirectories: true)
            try writeWindows(dataset, train, to: temporary.appendingPathComponent("x_train.npy"))
            try NpyArray.encode(train.map { dataset.labels[$0] }).write(to: temporary.appendingPathComponent("y_train.npy"))
            try writeWindows(dataset, test, to: temporary.appendingPathComponent("x_test.npy"))
            try NpyArray.encode(test.map { dataset.labels[$0] }).write(to: temporary.appendingPathComponent("y_test.npy"))
            let metadata = DatasetMetadata(
                name: dataset.name, classNames: dataset.classNames, channelNames: dataset.channelNames, sampleRate: dataset.sampleRate,
                subjects: (train + test).map { dataset.subjects[$0] },
                validation: train.indices.filter { dataset.splits[train[$0]] == .validation },
                preprocessing: dataset.protocolDescription)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try encoder.encode(metadata).write(to: temporary.appendingPathComponent(DatasetMetadata.fileName))
            if files.fileExists(atPath: folder.path) { try files.removeItem(at: folder) }
            try files.moveItem(at: temporary, to: folder)
            AtomicFile.removeStaleTemporaries(of: folder)
        } catch {
            try? files.removeItem(at: temporary)
            throw DatasetError.at(folder, "cannot write the .npy folder: \(error.localizedDescription)")
        }
    }

    /// Reads a folder in the reference layout; `harlab.json`, when present, restores names, subjects and validation.
    /// Without it, classes are `0…max label`, channels `ch0…`, one subject (0), and validation is a seeded random `validationFraction` of the training windows.
    /// - Throws: `DatasetError` naming a missing file or arrays whose shapes disagree.
    static func read(_ folder: URL, options: DatasetOptions = DatasetOptions()) throws -> HARDataset {
        for name in arrayNames where !FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path) {
            throw DatasetError.at(folder, "missing \(name): an npy dataset folder holds \(arrayNames.joined(separator: ", "))")
        }
        let xTrainURL = folder.appendingPathComponent("x_train.npy"), xTestURL = folder.appendingPathComponent("x_test.npy")
        let xTrain = try NpyArray.Header(xTrainURL), xTest = try NpyArray.Header(xTestURL)
        let yTrain = try NpyArray.read(folder.appendingPathComponent("y_train.npy"))
        let yTest = try NpyArray.read(folder.appendingPathComponent("y_test.npy"))
        let (window, channels) = try windowShape(xTrain, xTrainURL)
        guard try windowShape(xTest, xTestURL) == (window, channels) else {
            throw DatasetError.at(folder, "x_train.npy windows are \(xTrain.shape.dropFirst()) but x_test.npy windows are \(xTest.shape.dropFirst())")
        }
        for (x, y, name) in [(xTrain, yTrain, "train"), (xTest, yTest, "test")] {
            guard y.isInteger, y.integers.count == x.shape[0] else {
                throw DatasetError.at(folder.appendingPathComponent("y_\(name).npy"), "expected \(x.shape[0]) integer labels (one per window of x_\(name).npy), found \(y.isInteger ? "\(y.integers.count)" : "floating-point values")")
            }
        }
        let trainCount = xTrain.shape[0], testCount = xTest.shape[0]
        let labels = yTrain.integers + yTest.integers
        var splits = [DatasetSplit](repeating: .train, count: trainCount) + [DatasetSplit](repeating: .test, count: testCount)
        var windows = try [Float](unsafeUninitializedCapacity: xTrain.count + xTest.count) { buffer, initialized in
            initialized = 0
            try xTrain.readFloats(of: xTrainURL, into: buffer.baseAddress!)
            try xTest.readFloats(of: xTestURL, into: buffer.baseAddress! + xTrain.count)
            initialized = xTrain.count + xTest.count
        }
        // NaN or Inf would poison every loss and statistic; name the file and window instead.
        if let bad = windows.firstIndex(where: { !$0.isFinite }) {
            let (file, index) = bad < xTrain.count ? ("x_train.npy", bad) : ("x_test.npy", bad - xTrain.count)
            throw DatasetError.at(folder.appendingPathComponent(file), "value \(windows[bad]) in window \(index / max(1, window * channels)): windows must be finite numbers")
        }
        for (y, name) in [(yTrain, "y_train.npy"), (yTest, "y_test.npy")] {
            if let bad = y.integers.firstIndex(where: { $0 < 0 || $0 > maximumLabel }) {
                throw DatasetError.at(folder.appendingPathComponent(name), "label \(y.integers[bad]) of window \(bad) is not a class index from 0 to \(maximumLabel)")
            }
        }
        let metadataURL = folder.appendingPathComponent(DatasetMetadata.fileName)
        if let data = try? Data(contentsOf: metadataURL) {
            let metadata: DatasetMetadata
            do { metadata = try JSONDecoder().decode(DatasetMetadata.self, from: data) } catch {
                throw DatasetError.at(metadataURL, "unreadable metadata: \(error)")
            }
            guard metadata.subjects.count == labels.count, metadata.channelNames.count == channels,
                  metadata.validation.allSatisfy({ $0 >= 0 && $0 < trainCount }) else {
                throw DatasetError.at(metadataURL, "metadata does not match the arrays (\(labels.count) windows of \(channels) channels)")
            }
            for index in metadata.validation { splits[index] = .validation }
            return try HARDataset(name: metadata.name, windows: windows, labels: labels, subjects: metadata.subjects, splits: splits,
                                  classNames: metadata.classNames, channelNames: metadata.channelNames, sampleRate: metadata.sampleRate,
                                  windowLength: window, protocolDescription: metadata.preprocessing)
        }
        if let bad = labels.first(where: { $0 < 0 }) { throw DatasetError.at(folder, "negative label \(bad) in y_train.npy or y_test.npy") }
        var random = SeededGenerator(seed: options.seed, stream: 0x6E70_79)
        let moved = Int((Double(trainCount) * options.validationFraction).rounded())
        for index in (0..<trainCount).shuffled(using: &random).prefix(moved) { splits[index] = .validation }
        let normalize = options.normalize ?? false
        var mean = [Float](), std = [Float]()
        if normalize {
            (mean, std) = ChannelStatistics.fit(windows, rows: trainCount * window, channels: channels)
            ChannelStatistics.apply(mean: mean, std: std, to: &windows, channels: channels)
        }
        let description = DatasetProtocol(window: window, overlap: 0, stride: window, split: "official (the folder's train/test)", normalized: normalize,
                                          mean: mean, std: std, windowing: "as stored", validationFraction: options.validationFraction,
                                          seed: options.seed, sourcePath: folder.path, dropped: [])
        return try HARDataset(name: "npy", windows: windows, labels: labels, subjects: [Int](repeating: 0, count: labels.count), splits: splits,
                              classNames: (0...(labels.max() ?? 0)).map { "class \($0)" }, channelNames: (0..<channels).map { "ch\($0)" },
                              sampleRate: options.rate ?? 50, windowLength: window, protocolDescription: description)
    }

    /// The largest class index a label may be (no activity dataset has more classes; a larger one is damage).
    static let maximumLabel = 65_535

    /// `(T, C)` of an `[N, T, C]`, `[N, 1, T, C]` or `[N, T]` array.
    private static func windowShape(_ array: NpyArray.Header, _ file: URL) throws -> (Int, Int) {
        guard array.descr.hasPrefix("<f") else { throw DatasetError.at(file, "expected floating-point windows, found \(array.descr) integers") }
        switch array.shape.count {
        case 2: return (array.shape[1], 1)
        case 3: return (array.shape[1], array.shape[2])
        case 4 where array.shape[1] == 1: return (array.shape[2], array.shape[3])
        default: throw DatasetError.at(file, "expected windows shaped [N, T, C] (or [N, 1, T, C]), found \(array.shape)")
        }
    }

    /// Writes the windows at `indices` as one `[n, T, C]` float32 array; a run of consecutive indices is written straight from the dataset.
    private static func writeWindows(_ dataset: HARDataset, _ indices: [Int], to url: URL) throws {
        let size = dataset.windowSize
        let header = NpyArray.header(descr: "<f4", shape: [indices.count, dataset.windowLength, dataset.channelCount])
        guard FileManager.default.createFile(atPath: url.path, contents: header), let handle = FileHandle(forWritingAtPath: url.path) else {
            throw DatasetError.at(url, "cannot create file")
        }
        defer { try? handle.close() }
        try handle.seekToEnd()
        let consecutive = indices.isEmpty || indices.last! - indices.first! == indices.count - 1
        if consecutive {
            try dataset.windows.withUnsafeBytes { raw in
                let first = (indices.first ?? 0) * size * 4
                try handle.write(contentsOf: UnsafeRawBufferPointer(rebasing: raw[first..<(first + indices.count * size * 4)]))
            }
            return
        }
        var chunk = [Float](repeating: 0, count: size)
        for index in indices {
            for k in 0..<size { chunk[k] = dataset.windows[index * size + k] }
            try chunk.withUnsafeBytes { try handle.write(contentsOf: $0) }
        }
    }
}

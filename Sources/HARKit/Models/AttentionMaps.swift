import Torch

/// The spatial attention maps (time × channel) a model gives one window of a split, or their mean over every
/// window of one class in the split: the one computation behind `inspect attention`, `plot attention` (terminal
/// and file) and `report`, so they always show the same numbers.
///
/// The split is the test split unless asked otherwise (the training split when the dataset has no test windows);
/// a window is named by its position in that split, not by its index in the dataset. Class means run over all
/// of the class's windows in the split, `batchSize` windows per forward pass, so memory stays bounded.
public struct AttentionMaps: Sendable, Equatable {
    /// Which windows of the split the maps belong to.
    public enum Subject: Sendable, Equatable {
        /// The split's window at this position (0 = its first window).
        case window(Int)
        /// Every window of the split whose label is this class index (their mean).
        case classLabel(Int)
    }

    /// One attention layer's map.
    public struct Layer: Sendable, Equatable {
        /// The layer's parameter-style name, e.g. "body.1".
        public let name: String
        /// `T′ × C` weights (one window's, or the mean over the windows).
        public let values: [[Double]]
    }

    /// The split the windows come from.
    public let split: DatasetSplit
    /// What was asked for.
    public let subject: Subject
    /// The dataset indices of the windows averaged (one for `.window`).
    public let windows: [Int]
    /// Every spatial attention layer's map, in layer order (at least one).
    public let layers: [Layer]
    /// The channel names, in column order.
    public let channelNames: [String]
    /// What the maps show, e.g. "test window 0 (class walking)" or "class walking (mean of 12 test windows)".
    public let caption: String

    /// Windows per forward pass when averaging a class.
    public static let defaultBatchSize = 256

    /// The split maps are taken from when none is named: test, or train when the dataset has no test windows.
    public static func defaultSplit(of dataset: HARDataset) -> DatasetSplit {
        dataset.indices(in: .test).isEmpty ? .train : .test
    }

    /// Runs `model` (in evaluation mode, without gradients) over the windows `subject` names and averages each
    /// spatial attention layer's map over them.
    /// - Parameters:
    ///   - split: where the windows come from; nil for `defaultSplit(of:)`.
    ///   - batchSize: windows per forward pass.
    /// - Throws: `AttentionError` when the model has no spatial attention, or the window or class does not
    ///   exist in the split; `TorchError` when a forward pass fails.
    public init(model: any HARModel, dataset: HARDataset, subject: Subject = .window(0), split: DatasetSplit? = nil,
                batchSize: Int = AttentionMaps.defaultBatchSize) throws {
        let split = split ?? Self.defaultSplit(of: dataset)
        let inSplit = dataset.indices(in: split)
        guard !inSplit.isEmpty else { throw AttentionError("the \(split.rawValue) split has no windows") }
        let windows: [Int]
        switch subject {
        case .window(let position):
            guard inSplit.indices.contains(position) else {
                throw AttentionError("\(split.rawValue) window \(position) does not exist: the \(split.rawValue) split has \(inSplit.count) windows (0…\(inSplit.count - 1))")
            }
            windows = [inSplit[position]]
            caption = "\(split.rawValue) window \(position) (class \(dataset.classNames[dataset.labels[windows[0]]]))"
        case .classLabel(let label):
            guard dataset.classNames.indices.contains(label) else {
                throw AttentionError("class \(label) does not exist: the dataset has \(dataset.classNames.count) classes (0…\(dataset.classNames.count - 1))")
            }
            windows = inSplit.filter { dataset.labels[$0] == label }
            guard !windows.isEmpty else {
                throw AttentionError("the \(split.rawValue) split has no window of class '\(dataset.classNames[label])'")
            }
            caption = "class \(dataset.classNames[label]) (mean of \(windows.count) \(split.rawValue) window\(windows.count == 1 ? "" : "s"))"
        }
        let sums = try Self.summedMaps(of: model, windows: windows, in: dataset, batchSize: max(1, batchSize))
        let count = Double(windows.count)
        self.split = split
        self.subject = subject
        self.windows = windows
        self.channelNames = dataset.channelNames
        self.layers = sums.map { sum in
            let columns = sum.shape.count >= 2 ? sum.shape[sum.shape.count - 1] : 1
            let rows = sum.values.count / max(1, columns)
            return Layer(name: sum.name, values: (0..<rows).map { t in (0..<columns).map { sum.values[t * columns + $0] / count } })
        }
    }

    /// The index of the layer `word` names: its name (`body.5`) or its index in layer order; nil when neither.
    public func layerIndex(_ word: String) -> Int? {
        if let index = layers.firstIndex(where: { $0.name == word }) { return index }
        if let index = Int(word), layers.indices.contains(index) { return index }
        return nil
    }

    /// Each spatial layer's map summed over `windows` (in float64), running `batchSize` windows per forward pass.
    private static func summedMaps(of model: any HARModel, windows: [Int], in dataset: HARDataset,
                                   batchSize: Int) throws -> [(name: String, shape: [Int], values: [Double])] {
        let size = dataset.windowSize
        var sums: [(name: String, shape: [Int], values: [Double])] = []
        for start in stride(from: 0, to: windows.count, by: batchSize) {
            let chunk = windows[start..<min(start + batchSize, windows.count)]
            var values: [Float] = []
            values.reserveCapacity(chunk.count * size)
            for index in chunk { values += dataset.windows[(index * size)..<((index + 1) * size)] }
            let batch = try model.evaluating { () -> [(name: String, shape: [Int], values: [Double])] in
                _ = try model(try Tensor(values, shape: [chunk.count, 1, dataset.windowLength, dataset.channelCount]))
                return try model.attentionMaps.filter { $0.kind == .spatial }.map { map in
                    let total = try map.weights.converted(to: .float64).sum(alongAxes: 0)
                    return (map.layer, total.shape, try total.scalars(as: Double.self))
                }
            }
            guard !batch.isEmpty else {
                throw AttentionError("model '\(model.spec)' has no spatial attention map: build one with an attention stem (sa, attn+lstm)")
            }
            if sums.isEmpty {
                sums = batch
            } else {
                for layer in sums.indices { for i in sums[layer].values.indices { sums[layer].values[i] += batch[layer].values[i] } }
            }
        }
        return sums
    }
}

import Torch

extension ReportAttention {
    /// The spatial attention map of one layer of `model` for window `index` of `dataset`, or averaged over every
    /// window of class `className` in `split`.
    /// - Parameters:
    ///   - layer: which spatial map in layer order (0 = the first stage).
    /// - Throws: `ReportError` when the model has no spatial attention, the layer, window or class does not exist,
    ///   or the split has no window of the class.
    public init(model: any HARModel, dataset: HARDataset, split: DatasetSplit = .test, window index: Int? = nil,
                className: String? = nil, layer: Int = 0) throws {
        let windows: [Int]
        let subject: String
        if let className {
            guard let label = dataset.classNames.firstIndex(of: className) else {
                throw ReportError("unknown class '\(className)' (classes: \(dataset.classNames.joined(separator: ", ")))")
            }
            windows = dataset.indices(in: split).filter { dataset.labels[$0] == label }
            guard !windows.isEmpty else { throw ReportError("the \(split.rawValue) split has no window of class '\(className)'") }
            subject = "class \(className) (mean of \(windows.count) windows)"
        } else {
            let chosen = index ?? 0
            guard (0..<dataset.count).contains(chosen) else { throw ReportError("window \(chosen) does not exist (the dataset has \(dataset.count))") }
            windows = [chosen]
            subject = "window \(chosen) (\(dataset.classNames[dataset.labels[chosen]]))"
        }
        let wasTraining = model.isTraining
        model.setTraining(false)
        defer { model.setTraining(wasTraining) }
        var sum: [[Double]] = []
        var layerName = ""
        for start in stride(from: 0, to: windows.count, by: 256) {
            let chunk = Array(windows[start..<min(start + 256, windows.count)])
            let size = dataset.windowSize
            let values = chunk.flatMap { dataset.windows[($0 * size)..<(($0 + 1) * size)] }
            let maps: [AttentionMap] = try withInferenceMode {
                _ = try model(try Tensor(values, shape: [chunk.count, 1, dataset.windowLength, dataset.channelCount]))
                return model.attentionMaps.filter { $0.kind == .spatial }
            }
            guard layer >= 0, layer < maps.count else {
                throw ReportError(maps.isEmpty ? "model '\(model.spec)' has no spatial attention to show"
                                               : "layer \(layer) does not exist: model '\(model.spec)' has \(maps.count) spatial attention layers (0…\(maps.count - 1))")
            }
            layerName = maps[layer].layer
            let total = try maps[layer].weights.sum(alongAxes: 0)
            let shape = total.shape
            let flat = try total.scalars(as: Double.self)
            if sum.isEmpty { sum = Array(repeating: Array(repeating: 0, count: shape[1]), count: shape[0]) }
            for t in 0..<shape[0] { for c in 0..<shape[1] { sum[t][c] += flat[t * shape[1] + c] } }
        }
        self.init(title: "\(layerName) · \(subject)", map: sum.map { $0.map { Float($0 / Double(windows.count)) } }, channelNames: dataset.channelNames)
    }
}

import Torch

/// Cuts one split of a dataset into batches of `[B, 1, T, C]` tensors, shuffled per epoch and augmented on the fly, reproducibly from a seed.
public struct Batcher {
    /// The dataset batches are drawn from.
    public let dataset: HARDataset
    /// The split drawn.
    public let split: DatasetSplit
    /// Windows per batch (the last batch may be smaller).
    public let batchSize: Int
    /// Whether the order changes every epoch.
    public let shuffle: Bool
    /// Seed of the order and the augmentation.
    public let seed: UInt64
    /// Augmentation applied to every batch (nil: none).
    public let augmentation: AugmentationPipeline?
    /// Whether a last batch of a single window is left out (BatchNorm cannot train on a batch of one).
    public let dropsLoneWindow: Bool
    /// The split's window indices, in dataset order.
    public let indices: [Int]
    /// How each epoch draws its windows when shuffling (`Sampler.shuffle`: each once).
    public var sampler = Sampler.shuffle
    private let groups: SensorGroups

    /// A batcher over `split` of `dataset`.
    /// - Throws: `DatasetError` when the batch size is not positive or the split is empty (or a single window with `dropsLoneWindow`).
    public init(dataset: HARDataset, split: DatasetSplit, batchSize: Int, shuffle: Bool, seed: UInt64, augmentation: AugmentationPipeline?,
                dropsLoneWindow: Bool = false) throws {
        guard batchSize > 0 else { throw DatasetError("batch size must be positive, got \(batchSize)") }
        let indices = dataset.indices(in: split)
        guard !indices.isEmpty else { throw DatasetError("the \(split.rawValue) split of \(dataset.name) has no windows") }
        guard !dropsLoneWindow || indices.count > 1 else {
            throw DatasetError("the \(split.rawValue) split of \(dataset.name) has a single window; training needs at least two per batch")
        }
        self.dataset = dataset
        self.split = split
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.seed = seed
        self.augmentation = augmentation
        self.dropsLoneWindow = dropsLoneWindow
        self.indices = indices
        self.groups = SensorGroups(channelNames: dataset.channelNames)
    }

    /// Number of batches per epoch.
    public var batchCount: Int {
        // Not (count + batchSize - 1) / batchSize: that overflows for a batch size near Int.max.
        let all = indices.count / batchSize + (indices.count % batchSize == 0 ? 0 : 1)
        return dropsLoneWindow && batchSize > 1 && indices.count % batchSize == 1 ? all - 1 : all
    }

    /// The window order of `epoch`: shuffled from (seed, epoch) when shuffling, else dataset order.
    public func order(epoch: Int) -> [Int] {
        guard shuffle else { return indices }
        if sampler == .balanced { return balancedOrder(epoch: epoch) }
        var random = SeededGenerator(seed: seed, stream: 0x5348_5546, UInt64(truncatingIfNeeded: epoch))
        return indices.shuffled(using: &random)
    }

    /// Every batch of `epoch`, in order (all held at once; `batch(_:of:epoch:)` builds them one at a time).
    /// - Throws: `TorchError` when a tensor cannot be made.
    public func batches(epoch: Int) throws -> [Batch] {
        let order = order(epoch: epoch)
        return try (0..<batchCount).map { try batch($0, of: order, epoch: epoch) }
    }

    /// Batch `number` of an epoch whose order is `order` (from `order(epoch:)`): lets a trainer build batches one at a time.
    /// - Throws: `TorchError` when a tensor cannot be made.
    public func batch(_ number: Int, of order: [Int], epoch: Int) throws -> Batch {
        let chosen = Array(order[(number * batchSize)..<min(order.count, (number + 1) * batchSize)])
        let size = dataset.windowSize
        var values = [Float](repeating: 0, count: chosen.count * size)
        values.withUnsafeMutableBufferPointer { out in
            dataset.windows.withUnsafeBufferPointer { source in
                for (k, index) in chosen.enumerated() {
                    (out.baseAddress! + k * size).update(from: source.baseAddress! + index * size, count: size)
                }
            }
        }
        var mix: AugmentationPipeline.Mix?
        if let augmentation {
            var random = SeededGenerator(seed: seed, stream: 0x4155_47, UInt64(truncatingIfNeeded: epoch), UInt64(number))
            mix = augmentation.apply(to: &values, count: chosen.count, windowLength: dataset.windowLength, channels: dataset.channelCount,
                                     groups: groups, using: &random)
        }
        let x = try Tensor(values, shape: [chosen.count, 1, dataset.windowLength, dataset.channelCount])
        let labels = try Tensor(chosen.map { Int64(dataset.labels[$0]) }, shape: [chosen.count])
        let mixLabels = try mix.map { m in try Tensor(m.partners.map { Int64(dataset.labels[chosen[$0]]) }, shape: [chosen.count]) }
        return Batch(x: x, labels: labels, indices: chosen, mix: mix, mixLabels: mixLabels)
    }
}

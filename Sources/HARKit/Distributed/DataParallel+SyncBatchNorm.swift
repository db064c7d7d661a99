import Torch

extension DataParallel {
    /// Makes every batch-norm layer of `model` normalise, when training, with the statistics of the whole global batch
    /// (`on` true: synchronised batch norm, one all-reduce per layer forward and one backward) or with this rank's share's
    /// (as PyTorch's DDP). Synchronised, every rank must run every layer of every step, so every batch of the epoch
    /// (of `batchSize` from `windows` training windows) must give each rank at least one window.
    /// - Throws: `DistributedError` naming the smallest batch and the world size when some rank would get none.
    func setBatchNormSynchronization(of model: any HARModel, to on: Bool, windows: Int, batchSize: Int) throws {
        guard on else {
            model.synchronizeBatchNorm(over: nil)
            return
        }
        let last = windows % batchSize
        // The trainer drops a last batch of one window (batch norm cannot train on it).
        let smallest = windows <= batchSize ? windows : (last == 0 || (last == 1 && batchSize > 1) ? batchSize : last)
        guard smallest >= worldSize else {
            throw DistributedError("sync_bn on needs a window for each of the \(worldSize) ranks in every batch, but the epoch's "
                                   + "smallest batch has \(counted(smallest, "window")) (\(windows) training windows in batches of "
                                   + "\(batchSize)): change 'set batch', or 'set sync_bn off'")
        }
        model.synchronizeBatchNorm(over: group)
    }
}

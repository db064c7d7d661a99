/// A data-parallel `train` that a distributed failure (a rank lost, a collective that failed or timed out) cut short
/// after at least one of its epochs had finished. Unlike any other failure, which undoes the whole call, it keeps
/// the finished epochs: the model and optimizer hold the state after the last of them, `history` lists them, and the
/// learning-rate schedule (`train(epochs:continuingSchedule: true)`) goes on from there.
///
/// The last finished epoch, not the last step: every rank's weights after an epoch were compared (their checksums
/// gathered from every rank) and found the same, while after a failed step nothing proves that the other ranks
/// completed the steps before it, or this rank's all-reduce result is theirs.
public struct TrainingFault: HARKitError {
    /// The failure that cut the call short, naming the step and the bound.
    public let cause: DistributedError
    /// The epochs of the call that finished and are kept (at least one).
    public let records: [EpochRecord]
    /// The epochs the call was asked to run.
    public let requested: Int

    /// The epoch (numbered in the model's whole history) whose weights the model keeps.
    public var keptEpoch: Int { records.last?.epoch ?? 0 }

    /// `kept the weights after epoch 2 of 30`, with the epoch's number in the model's history when earlier calls
    /// trained it too (`… of 30 (epoch 12 of the model)`).
    public var kept: String {
        let done = records.count
        return "kept the weights after epoch \(done) of \(requested)" + (keptEpoch != done ? " (epoch \(keptEpoch) of the model)" : "")
    }

    /// The cause, then which weights were kept.
    public var message: String { "\(cause.message); \(kept)" }
}

import Foundation
import Torch

/// This process's place in a data-parallel job (torch.distributed's c10d store and Gloo process group underneath):
/// every rank runs the same commands; a `Trainer` given one splits each global batch between the ranks, sums the
/// gradients in one all-reduce per step, and checks at each epoch's end that all ranks hold the same weights.
///
/// Every wait is bounded by the launch's timeout: a rank that died makes the others fail with a message naming the
/// job, never hang.
public final class DataParallel {
    /// How the job was launched.
    public let launch: LaunchEnvironment
    let group: ProcessGroup
    /// How many `train` rendezvous this rank has passed (the same on every rank: they run the same commands).
    private var trainings = 0
    /// Wall-clock seconds this rank has spent in the training steps' gradient all-reduces since it joined, waiting for
    /// the slower ranks included (`har-bench --scaling` reports it per step).
    public private(set) var gradientReductionSeconds = 0.0
    /// How many gradient all-reduces this rank has run since it joined (one per training step).
    public private(set) var gradientReductions = 0
    // distfault
    /// This rank's sign of life while it trains data-parallel (from its first `train` on), by which the ranks that
    /// survive a failed collective tell which rank was lost (`namingLostRanks`).
    var trainingHeartbeat: JobHeartbeat?

    /// This process's rank.
    public var rank: Int { launch.rank }
    /// The number of ranks.
    public var worldSize: Int { launch.worldSize }
    /// Whether this rank is the one that prints, records runs and writes files (rank 0).
    public var isPrimary: Bool { launch.rank == 0 }

    private init(launch: LaunchEnvironment, group: ProcessGroup) {
        self.launch = launch
        self.group = group
    }

    deinit { trainingHeartbeat?.stop() }

    /// Joins the job `launch` describes: rank 0 hosts the store, every rank checks that the others run the same
    /// harlab version with the same world size, then the Gloo process group forms.
    /// - Throws: `DistributedError` naming the cause: the port in use (rank 0), the master not answering within the
    ///   timeout, a rank taken twice, a version or world size that differs, a rank that never came.
    public static func join(_ launch: LaunchEnvironment) throws -> DataParallel {
        try join(launch, over: try connectStore(launch))
    }

    /// Hosts (rank 0) or reaches the store of the job `launch` describes.
    /// - Throws: `DistributedError` naming the port in use, or the master not answering within the timeout.
    static func connectStore(_ launch: LaunchEnvironment) throws -> DistributedStore {
        do {
            return try DistributedStore(host: launch.masterAddress, port: launch.masterPort,
                                        isHost: launch.rank == 0 && launch.agentStorePrefix == nil, worldSize: launch.worldSize,
                                        prefix: launch.agentStorePrefix ?? "", timeout: launch.timeout)
        } catch let error as TorchError {
            throw storeFailure(error, launch: launch, place: "\(launch.masterAddress):\(launch.masterPort)")
        }
    }

    /// Joins the job `launch` describes through `store`, already hosted or reached: claims the rank, checks the
    /// others' version and world size, forms the Gloo process group.
    static func join(_ launch: LaunchEnvironment, over store: DistributedStore) throws -> DataParallel {
        let place = "\(launch.masterAddress):\(launch.masterPort)"
        try wrapped("rank \(launch.rank) meeting the others at \(place)", launch) {
            let claims = try store.add("harlab/rank/\(launch.rank)", 1)
            guard claims == 1 else {
                throw DistributedError("RANK=\(launch.rank) is claimed by \(claims) processes: give each process of the job its own RANK")
            }
        }
        try agree(on: .joining(worldSize: launch.worldSize), key: "harlab/join", store: store, launch: launch)
        let group = try wrapped("rank \(launch.rank) forming the Gloo process group of \(launch.worldSize) ranks", launch) {
            try ProcessGroup(store: store, rank: launch.rank, worldSize: launch.worldSize, interface: launch.interface,
                             hostname: launch.isLoopback ? "127.0.0.1" : nil, timeout: launch.timeout)
        }
        return DataParallel(launch: launch, group: group)
    }

    /// The clear form of a store that could not be hosted or reached.
    private static func storeFailure(_ error: TorchError, launch: LaunchEnvironment, place: String) -> DistributedError {
        let seconds = String(format: "%g", launch.timeout)
        if launch.rank == 0 && launch.agentStorePrefix == nil {
            if error.message.contains("Address already in use") || error.message.contains("errno: 98") {
                return DistributedError("rank 0 cannot host the job's store on port \(launch.masterPort): the port is in use "
                                        + "(another job or program holds it; choose another MASTER_PORT)")
            }
            return DistributedError("rank 0 cannot host the job's store on port \(launch.masterPort): \(error.message)")
        }
        if launch.agentStorePrefix != nil {
            return DistributedError("rank \(launch.rank) could not use the store the launcher's agent hosts at \(place) within \(seconds) s "
                                    + "(TORCHELASTIC_USE_AGENT_STORE=True: the agent of torchrun 2.x speaks a store protocol libtorch 1.13 "
                                    + "does not; start the ranks without it, as the README's Distributed training section shows): \(error.message)")
        }
        return DistributedError("rank \(launch.rank) could not reach the job's store at \(place) within \(seconds) s "
                                + "(is rank 0 running, and are MASTER_ADDR and MASTER_PORT right?): \(error.message)")
    }

    /// Runs `body`; a libtorch failure becomes a `DistributedError` saying what this rank was doing and the bound.
    @discardableResult
    static func wrapped<T>(_ doing: String, _ launch: LaunchEnvironment, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as TorchError {
            throw DistributedError("\(doing) failed (a rank stopped, or did not answer within \(String(format: "%g", launch.timeout)) s "
                                   + "— HARLAB_DIST_TIMEOUT): \(error.message)", collectiveFailed: true)
        }
    }

    /// Every rank posts `fingerprint` under `key` and compares every rank's with rank 0's; all ranks see the same
    /// first difference and fail with it. Rank 0 hosts the store, so before it fails it waits (bounded) until each
    /// other rank has read its fingerprint: otherwise its exit could take the store away before they learn why.
    private static func agree(on fingerprint: JobFingerprint, key: String, store: DistributedStore, launch: LaunchEnvironment) throws {
        try wrapped("rank \(launch.rank) waiting for the fingerprints of all \(launch.worldSize) ranks", launch) {
            try store.set("\(key)/\(launch.rank)", try fingerprint.encoded())
            var reference = fingerprint
            if launch.rank != 0 {
                reference = try JobFingerprint.decoded(try store.get("\(key)/0"), from: 0)
                try store.set("\(key)/read/\(launch.rank)", [1])
            }
            for other in 1..<max(1, launch.worldSize) {
                let theirs = other == launch.rank ? fingerprint : try JobFingerprint.decoded(try store.get("\(key)/\(other)"), from: other)
                if let difference = reference.difference(from: theirs, rank: 0, otherRank: other) {
                    if launch.rank == 0 {
                        for waiting in 1..<launch.worldSize { _ = try? store.get("\(key)/read/\(waiting)") }
                    }
                    throw DistributedError("the ranks of the job disagree: \(difference)")
                }
            }
        }
    }

    /// The rendezvous of one `train`: every rank checks that all run the same dataset, model and settings.
    /// - Throws: `DistributedError` naming the first rank and field that differ from rank 0's.
    func agree(on fingerprint: JobFingerprint) throws {
        trainings += 1
        try DataParallel.agree(on: fingerprint, key: "harlab/train/\(trainings)", store: group.store, launch: launch)
    }

    /// Makes every rank's weights and buffers rank 0's (one broadcast of one flattened buffer).
    func adoptPrimaryState(of model: any HARModel) throws {
        let state = model.parameters + model.namedBuffers().map(\.tensor)
        try collective("broadcasting rank 0's weights") { try group.broadcast(state, from: 0) }
    }

    /// This rank's share of a global batch: a contiguous run of its windows, the sizes differing by at most one
    /// (rank r of N takes ⌊B/N⌋ windows, one more when r < B mod N), as PyTorch's DistributedSampler splits them.
    func share(of batch: Batch) throws -> Batch {
        let total = batch.indices.count
        let base = total / worldSize, extra = total % worldSize
        let start = rank * base + min(rank, extra), length = base + (rank < extra ? 1 : 0)
        return Batch(x: try batch.x.narrowed(axis: 0, start: start, length: length),
                     labels: try batch.labels.narrowed(axis: 0, start: start, length: length),
                     indices: Array(batch.indices[start..<(start + length)]), mix: batch.mix,
                     mixLabels: try batch.mixLabels?.narrowed(axis: 0, start: start, length: length))
    }

    /// The cross-rank step of a data-parallel training step (`Trainer.runEpoch`): replaces each of `gradients` by the
    /// sum over the ranks of `share` × that rank's gradient, and `step` by the sum of every rank's, in one all-reduce.
    /// - Parameter share: this rank's windows / the global batch's, so the sum is the gradient of the global batch's mean loss.
    func finishStep(_ step: inout StepTally, gradients: [Tensor], share: Double, epoch: Int, batch: Int) throws {
        var values = step.values
        let started = DispatchTime.now().uptimeNanoseconds
        try collective("summing the gradients of epoch \(epoch), batch \(batch)") {
            try group.sumGradients(of: gradients, scale: share, values: &values)
        }
        gradientReductionSeconds += Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        gradientReductions += 1
        step.values = values
    }

    /// Checks that every rank holds bitwise the same weights after `epoch`.
    /// - Throws: `DistributedError` naming the ranks whose weights differ from rank 0's.
    func checkSameWeights(_ model: any HARModel, epoch: Int) throws {
        if let differing = try differingWeights(of: model, doing: "comparing the weights after epoch \(epoch)") {
            throw DistributedError("after epoch \(epoch) \(differing)")
        }
    }

    /// Runs one collective; its failure says which step of the job failed and the bound.
    func collective<T>(_ doing: String, _ body: () throws -> T) throws -> T {
        try DataParallel.wrapped("rank \(rank) \(doing)", launch, body)
    }
}

import CTorch
import Foundation

/// The ranks of a distributed job and their collectives: c10d's `ProcessGroupGloo` (torch.distributed's Gloo
/// backend) over a `DistributedStore`. Every collective is called by every rank in the same order and waits for
/// all of them, bounded by `timeout`: a rank that died or stopped answering makes it throw, never hang.
public final class ProcessGroup {
    let handle: ct_process_group
    /// The store the group met through (kept alive as long as the group).
    public let store: DistributedStore
    /// This process's rank, 0..<worldSize.
    public let rank: Int
    /// The number of ranks.
    public let worldSize: Int
    /// The bound on creation and on every collective.
    public let timeout: TimeInterval

    /// Creates the group: returns once every rank has joined through `store`.
    /// - Parameters:
    ///   - interface: the network interface Gloo binds to (PyTorch's `GLOO_SOCKET_IFNAME`), or nil.
    ///   - hostname: the address Gloo binds to when no interface is given (nil: this machine's hostname's address).
    /// - Throws: `TorchError` when `rank` is outside 0..<worldSize, or the other ranks did not join within `timeout`.
    public init(store: DistributedStore, rank: Int, worldSize: Int, interface: String? = nil, hostname: String? = nil,
                timeout: TimeInterval) throws {
        handle = try checkedPointer(ct_process_group_new(store.handle, Int32(clamping: rank), Int32(clamping: worldSize),
                                                         interface, hostname, milliseconds(timeout)))
        self.store = store
        self.rank = rank
        self.worldSize = worldSize
        self.timeout = timeout
        // Forming a Gloo group is not a synchronisation point: a rank can finish connecting, run ahead and free its
        // group while a peer is still completing its own connections, which that peer then sees as "Connection
        // closed by peer" (seen in DataParallelTests on a loaded machine; PyTorch's own Gloo tests had the same
        // flake, pytorch/pytorch#61396). The barrier makes creation return only once every rank is in.
        try barrier()
    }

    deinit { ct_process_group_free(handle) }

    /// Sums `tensor` (contiguous, on the CPU) across ranks, in place.
    public func allReduceSum(_ tensor: Tensor) throws {
        try checked(ct_process_group_all_reduce_sum(handle, tensor.handle))
    }

    /// Overwrites `tensor` on every rank with rank `root`'s.
    public func broadcast(_ tensor: Tensor, from root: Int = 0) throws {
        try checked(ct_process_group_broadcast(handle, tensor.handle, Int32(clamping: root)))
    }

    /// Overwrites `tensors` on every rank with rank `root`'s, sent as one flattened buffer.
    public func broadcast(_ tensors: [Tensor], from root: Int = 0) throws {
        _ = try withHandles(tensors) { try checked(ct_process_group_broadcast_all(handle, $0, $1, Int32(clamping: root))) }
    }

    /// Every rank's `tensor` (the same shape on all), stacked along a new first axis in rank order.
    public func allGather(_ tensor: Tensor) throws -> Tensor {
        try checked(ct_process_group_all_gather(handle, tensor.handle))
    }

    /// Replaces the gradient of each of `parameters` by the sum over the ranks of `scale` × that rank's gradient, and
    /// sums `values` across the ranks with them: one all-reduce of one flattened buffer (in the gradients' dtype, so
    /// float32 values keep about 7 digits). A parameter without a gradient counts as zeros.
    /// - Parameter scale: this rank's share of the global batch (its windows / the batch's), so that the sum is
    ///   the gradient of the global batch's mean loss.
    public func sumGradients(of parameters: [Tensor], scale: Double, values: inout [Double]) throws {
        _ = try withHandles(parameters) { handles, count in
            try values.withUnsafeMutableBufferPointer {
                try checked(ct_process_group_sum_gradients(handle, handles, count, scale, $0.baseAddress, Int32($0.count)))
            }
        }
    }

    /// Returns once every rank has reached it.
    public func barrier() throws {
        try checked(ct_process_group_barrier(handle))
    }
}

/// The C handles of `tensors`, for one call.
func withHandles<R>(_ tensors: [Tensor], _ body: (UnsafePointer<ct_tensor?>?, Int32) throws -> R) rethrows -> R {
    let handles: [ct_tensor?] = tensors.map { $0.handle }
    return try handles.withUnsafeBufferPointer { try body($0.baseAddress, Int32($0.count)) }
}

import CTorch

extension Runtime {
    /// How many threads the shim's own parallel loops (the fused spatial-attention passes, dropout, the LSTM cell) run
    /// `range` items on when each thread takes at least `grain` of them: `threads` or fewer, 1 where the loop runs on
    /// the calling thread, 0 for no items. Counted by running an empty loop over libtorch's intra-op pool
    /// (`ctorch_parallel.h`).
    /// - Throws: `TorchError` for a negative range or grain.
    public static func parallelLoopThreads(range: Int, grain: Int) throws -> Int {
        Int(try checked(ct_parallel_threads_used(Int64(range), Int64(grain))))
    }
}

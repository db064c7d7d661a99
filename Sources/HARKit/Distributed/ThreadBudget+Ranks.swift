extension ThreadBudget {
    /// This budget divided between `ranks` processes of a job on one machine (at least one thread each): measured
    /// here, two ranks of two threads each on 2 cores trained an epoch of `sa` about 100× slower than with one
    /// thread each, their OpenMP threads spinning while the other rank computed. An explicit `OMP_NUM_THREADS`
    /// (torchrun sets 1) is the user's count and is kept.
    public func shared(by ranks: Int) -> ThreadBudget {
        guard ranks > 1, !reason.hasPrefix("OMP_NUM_THREADS") else { return self }
        return ThreadBudget(count: max(1, count / ranks), reason: "\(reason), shared by \(ranks) ranks on this machine")
    }
}

extension Module {
    /// Makes every `BatchNorm` in this module's tree normalise with the statistics of the global batch the ranks of
    /// `group` share when training (synchronised batch norm), or with its own batch's again with nil.
    public func synchronizeBatchNorm(over group: ProcessGroup?) {
        if let norm = self as? BatchNorm { norm.synchronization = group }
        for child in children { child.module.synchronizeBatchNorm(over: group) }
    }
}

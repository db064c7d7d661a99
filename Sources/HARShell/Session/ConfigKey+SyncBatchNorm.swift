import HARKit

extension ConfigKey {
    /// `set sync_bn on|off`: whether batch norm in a data-parallel `train` normalises with the global batch's statistics.
    static let syncBatchNorm = ConfigKey(
        name: "sync_bn",
        meaning: "batch norm in a data-parallel train: on, the global batch's statistics (synchronised over the ranks); "
            + "off, each rank's share's, as DDP (one process: the same either way)",
        domain: "on|off", completions: ["on", "off"],
        read: { $0.syncBatchNorm == true ? "on" : "off" },
        write: { config, text in
            switch text.lowercased() {
            case "on", "true", "yes", "1": config.syncBatchNorm = true
            case "off", "false", "no", "0": config.syncBatchNorm = nil
            default: throw invalid("sync_bn", text, "on|off")
            }
        })

    /// What `set sync_bn` says: where it takes effect, and that one process is not changed by it.
    static let syncBatchNormNote = "applies to a data-parallel 'train' (with `set workers N`, or har SCRIPT as the ranks of a job); "
        + "one process normalises with the whole batch's statistics, so there on and off train the same"
}

import HARKit

extension Interpreter {
    /// Whether this process skips `spec`'s command because it is a rank other than 0 of a distributed job: such a
    /// rank runs every command that changes the session (load, model, set, train, eval) but none that only shows
    /// or writes (inspect and report, save and export), so that no two ranks write the same file.
    func skipsOnThisRank(_ spec: CommandSpec) -> Bool {
        guard let dataParallel, !dataParallel.isPrimary else { return false }
        return spec.family == .inspect || spec.family == .persistence
    }
}

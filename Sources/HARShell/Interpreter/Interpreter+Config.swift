import HARKit

/// What `set` (Commands/Configuration) shares with the program's start-up: the thread setting applied to libtorch.
extension Interpreter {
    /// Makes libtorch compute with `set threads` threads, or on `auto` (the default) with the cores this process may
    /// use (`ThreadBudget.automatic()`), and remembers how many and why for `status`.
    @discardableResult
    func applyThreadSetting() throws -> ThreadBudget {
        let budget = session.config.threads.map { ThreadBudget(count: $0, reason: "set threads \($0)") }
            ?? ThreadBudget.automatic().shared(by: dataParallel?.launch.ranksOnThisMachine ?? 1)
        try budget.apply()
        threadBudget = budget
        return budget
    }
}

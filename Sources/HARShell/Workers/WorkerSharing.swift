/// How a command runs in a session with workers (`set workers N`). Each command type says it
/// (`ShellCommand.workerSharing(_:)`), so that the interpreter never decides by a command's name.
enum WorkerSharing: Equatable {
    /// Here alone, the job set aside meanwhile so that nothing in it waits for the workers (most commands).
    case alone
    /// On every rank at once, the workers first adopting the session's state (`train`, `cv`, `tune`); `leaves` says
    /// what it leaves in the ranks' models once every rank has finished it.
    case everyRank(leaves: WorkerWeights)
    /// On every rank, in shares, while the workers' weights are the session's; here alone otherwise (`eval`).
    case everyRankWhileWeightsInStep
    /// As the commands it runs, each shared or not by its own sharing, the job kept meanwhile (`run FILE`): a command
    /// of a script goes to the workers exactly as the same command typed does.
    case byItsCommands
}

/// What a command that every rank finished leaves in the ranks' models.
enum WorkerWeights: Equatable {
    /// Their models as they were (`cv`, `eval`).
    case untouched
    /// The session's model, trained in step on every rank, and on every rank a trainer that is the session's (`train`).
    case trainedInStep
    /// When the session's model is a new one afterwards, that model and its trainer on every rank (`tune` keeping its
    /// best trial, which it sends to every rank); the models as they were otherwise (no trial kept: Ctrl-C before any
    /// finished, or every trial failed).
    case replacedWhenKept
}

/// The output of a worker of a session (`har worker --join`): it prints nothing; the errors of the command under way
/// are kept, and the worker sends them to the session, which reports them.
final class WorkerSink: OutputSink {
    /// The errors said since the last `clear`, in order.
    private(set) var errors: [String] = []

    func text(_ line: String) {}
    func result(_ result: CommandResult) {}
    func progress(_ progress: Progress?) {}
    func warning(_ message: String) {}

    func error(_ error: ShellError, source: String, origin: String?) { errors.append(error.message) }

    /// Forgets the errors said so far (a new command begins).
    func clear() { errors = [] }
}

/// The output of a rank other than 0 in a distributed job: every rank runs the same commands, and only rank 0
/// speaks. Errors and warnings still reach standard error (through `inner`), each saying which rank it is from.
final class SecondaryRankSink: OutputSink {
    /// The sink errors and warnings go to.
    let inner: OutputSink
    /// This process's rank.
    let rank: Int

    /// A sink that keeps `inner` quiet but for errors and warnings.
    init(inner: OutputSink, rank: Int) {
        self.inner = inner
        self.rank = rank
    }

    func text(_ line: String) {}
    func result(_ result: CommandResult) {}
    func progress(_ progress: Progress?) {}

    func error(_ error: ShellError, source: String, origin: String?) {
        inner.error(ShellError("rank \(rank): \(error.message)", at: nil), source: source, origin: origin)
    }

    func warning(_ message: String) { inner.warning("rank \(rank): \(message)") }
}

/// A table, plot or report that could not be written, naming the path and why.
public struct ReportError: HARKitError, Equatable {
    /// What went wrong.
    public let message: String

    /// An error with `message`.
    public init(_ message: String) { self.message = message }
}

import Foundation

/// A failure to find, parse, window or cache a dataset, with a message naming the file (and line) and what was expected.
public struct DatasetError: HARKitError, Equatable {
    /// A message a person can act on.
    public let message: String

    /// Creates an error with the given message.
    public init(_ message: String) { self.message = message }

    /// An error about one line of one file: `'path' line N: what`.
    static func at(_ file: URL, line: Int? = nil, _ what: String) -> DatasetError {
        if let line { return DatasetError("'\(file.path)' line \(line): \(what)") }
        return DatasetError("'\(file.path)': \(what)")
    }
}

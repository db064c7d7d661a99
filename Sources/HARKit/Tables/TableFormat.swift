/// The text formats a table can be written in.
public enum TableFormat: String, Sendable, CaseIterable {
    /// A GitHub-flavoured Markdown table.
    case markdown
    /// Comma-separated values (RFC 4180), full precision.
    case csv
    /// A JSON array of objects keyed by column, numbers as numbers and missing values as null.
    case json
}

import Foundation

/// A table of runs (the `runs` list, or the `compare` table) that renders as Markdown, CSV or JSON (the shell lays it
/// out as terminal text, fitted to the terminal's width).
public struct RunTable: Sendable, Equatable {
    /// One column: a stable machine key (CSV header, JSON field) and a title for people.
    public struct Column: Sendable, Equatable {
        /// The CSV header and JSON field name, e.g. "f1_macro".
        public let key: String
        /// The heading in text and Markdown, e.g. "F1".
        public let title: String
    }

    /// The columns in order.
    public let columns: [Column]
    /// One row of cells per run, in column order.
    public let rows: [[TableValue]]

    /// A table with these columns and rows.
    /// - Precondition: every row has one cell per column.
    public init(columns: [Column], rows: [[TableValue]]) {
        precondition(rows.allSatisfy { $0.count == columns.count }, "every row needs one cell per column")
        self.columns = columns
        self.rows = rows
    }

    /// The table in `format`.
    public func rendered(as format: TableFormat) -> String {
        switch format {
        case .markdown: return markdown()
        case .csv: return csv()
        case .json: return json()
        }
    }

    /// Whether column `index` holds numbers (and nothing else but missing values): right-aligned for people.
    public func isNumericColumn(_ index: Int) -> Bool {
        rows.contains { $0[index].isNumeric } && rows.allSatisfy { $0[index].isNumeric || $0[index] == .missing }
    }

    private func markdown() -> String {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        }
        let header = "| " + columns.map { escape($0.title) }.joined(separator: " | ") + " |"
        let rule = "|" + columns.indices.map { isNumericColumn($0) ? "---:|" : "---|" }.joined()
        let body = rows.map { "| " + $0.map { escape($0.display) }.joined(separator: " | ") + " |" }
        return ([header, rule] + body).joined(separator: "\n") + "\n"
    }

    private func csv() -> String {
        func quote(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        let lines = [columns.map { quote($0.key) }] + rows.map { $0.map { quote($0.exact) } }
        return lines.map { $0.joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    private func json() -> String {
        let objects = rows.map { row in
            "{" + zip(columns, row).map { TableValue.jsonString($0.key) + ":" + $1.json }.joined(separator: ",") + "}"
        }
        return "[" + objects.joined(separator: ",\n ") + "]\n"
    }
}

extension RunTable {
    /// Writes the table in `format` to `url` atomically.
    /// - Throws: `ReportError` naming the path when it cannot be written; an existing file is left as it was.
    public func write(as format: TableFormat, to url: URL) throws {
        try OutputFile.write(rendered(as: format), to: url, what: "\(format.rawValue) table")
    }
}

/// A plain-text table: columns padded to their widest cell, a rule under the header.
public struct TextTable: Sendable {
    /// How a column's cells line up.
    public enum Alignment: Sendable { case left, right }

    /// Column titles.
    public var header: [String]
    /// Rows of cells (a short row is padded with empty cells).
    public var rows: [[String]]
    /// Per-column alignment; missing entries are left-aligned.
    public var alignments: [Alignment]

    /// A table.
    public init(header: [String], rows: [[String]] = [], alignments: [Alignment] = []) {
        self.header = header
        self.rows = rows
        self.alignments = alignments
    }

    /// The table as lines: header, rule, rows. Columns are separated by two spaces; no trailing spaces.
    public func render() -> [String] {
        let columns = max(header.count, rows.map(\.count).max() ?? 0)
        var widths = [Int](repeating: 0, count: columns)
        for row in [header] + rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], TextTable.visibleWidth(cell)) }
        }
        func line(_ row: [String]) -> String {
            var cells: [String] = []
            for i in 0..<columns {
                let cell = i < row.count ? row[i] : ""
                let pad = String(repeating: " ", count: widths[i] - TextTable.visibleWidth(cell))
                let right = i < alignments.count && alignments[i] == .right
                cells.append(right ? pad + cell : cell + pad)
            }
            return String(cells.joined(separator: "  ").reversed().drop { $0 == " " }.reversed())
        }
        let rule = widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")
        return [line(header), rule] + rows.map(line)
    }

    /// The number of characters `text` occupies on screen (ANSI escape sequences take none).
    public static func visibleWidth(_ text: String) -> Int {
        var width = 0
        var inEscape = false
        for c in text {
            if inEscape {
                if c.isLetter { inEscape = false }
            } else if c == "\u{1B}" {
                inEscape = true
            } else {
                width += 1
            }
        }
        return width
    }
}

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
    /// The leading columns that name a row (the run, the class, the setting), repeated in every block when the
    /// table is split to fit a width.
    public var keyColumns: Int

    /// A table.
    public init(header: [String], rows: [[String]] = [], alignments: [Alignment] = [], keyColumns: Int = 1) {
        self.header = header
        self.rows = rows
        self.alignments = alignments
        self.keyColumns = keyColumns
    }

    /// The table as lines at most `width` columns wide where it can be: a table wider than that is split into
    /// blocks of columns, one under the other with an empty line between, each led by the key columns so that every
    /// row can still be read by its name, and a block's last column still too wide is word-wrapped onto continuation
    /// lines (when that leaves it 12 characters or more); nil `width` (no limit) gives `render()`.
    public func render(width: Int?) -> [String] {
        let widths = columnWidths()
        func span(_ columns: [Int]) -> Int { columns.reduce(0) { $0 + widths[$1] } + 2 * max(0, columns.count - 1) }
        guard let width, span(Array(widths.indices)) > width else { return render() }
        let keys = Array(0..<min(keyColumns, widths.count))
        var blocks: [[Int]] = []
        var block = keys
        for column in keys.count..<widths.count {
            if block.count > keys.count, span(block + [column]) > width {
                blocks.append(block)
                block = keys
            }
            block.append(column)
        }
        blocks.append(block)
        return blocks.enumerated().flatMap { index, columns -> [String] in
            func pick<T>(_ values: [T], _ empty: T) -> [T] { columns.map { $0 < values.count ? values[$0] : empty } }
            var part = TextTable(header: pick(header, ""), rows: rows.map { pick($0, "") }, alignments: pick(alignments, .left))
            part.wrapLastColumn(toFit: width)
            return (index > 0 ? [""] : []) + part.render()
        }
    }

    /// Word-wraps the last column's cells onto continuation rows (the other cells empty) so the table fits `width`,
    /// when the other columns leave the last one at least 12 characters.
    private mutating func wrapLastColumn(toFit width: Int) {
        let widths = columnWidths()
        guard let last = widths.indices.last, last > 0 else { return }
        let room = width - widths.dropLast().reduce(0, +) - 2 * last
        guard widths[last] > room, room >= 12 else { return }
        rows = rows.flatMap { row -> [[String]] in
            guard last < row.count else { return [row] }
            return TextTable.wrap(row[last], to: room).enumerated().map { index, piece in
                (index == 0 ? Array(row.prefix(last)) : Array(repeating: "", count: last)) + [piece]
            }
        }
    }

    /// `text` in lines of at most `width` characters, broken between words (a longer word is cut).
    static func wrap(_ text: String, to width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            var word = word
            if !line.isEmpty, line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            while word.count > width {
                lines.append(String(word.prefix(width)))
                word = String(word.dropFirst(width))
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        return lines + (line.isEmpty && !lines.isEmpty ? [] : [line])
    }

    /// The table as lines: header, rule, rows. Columns are separated by two spaces; no trailing spaces.
    public func render() -> [String] {
        let widths = columnWidths()
        let columns = widths.count
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

    /// Each column's width: its widest cell, header included.
    private func columnWidths() -> [Int] {
        var widths = [Int](repeating: 0, count: max(header.count, rows.map(\.count).max() ?? 0))
        for row in [header] + rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], TextTable.visibleWidth(cell)) }
        }
        return widths
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

/// A confusion matrix as text: true class per row, predicted class per column, per-row recall at the end, laid out
/// to fit a width.
///
/// Three layouts, the first that fits: class names over the columns (shortened to six characters, when those stay
/// distinct); class numbers over the columns, each row led by its number and name (the legend); and a compact
/// heat map, one character (or coloured cell) per pair, shaded by the share of the true class's windows.
public enum ConfusionMatrixView {
    /// The matrix's lines for `counts[true][predicted]`, at most `width` columns wide when a layout fits (nil: no limit).
    public static func render(_ counts: [[Int]], classes: [String], style: Style, width: Int? = nil) -> [String] {
        let names = counts.indices.map { $0 < classes.count ? classes[$0] : "c\($0)" }
        func fits(_ lines: [String]) -> Bool { width.map { limit in lines.allSatisfy { TextTable.visibleWidth($0) <= limit } } ?? true }
        let abbreviations = names.map { $0.count <= 6 ? $0 : String($0.prefix(5)) + "…" }
        if Set(abbreviations).count == names.count {
            let named = table(counts, rowLabels: names, columnLabels: abbreviations, style: style)
            if fits(named) { return named }
        }
        let numbered = numberedTable(counts, names: names, style: style, width: width)
        return fits(numbered) ? numbered : heatMap(counts, names: names, style: style, width: width)
    }

    /// Class numbers over the columns; each row led by `N name`, names cut with `…` to fit `width` when they must.
    private static func numberedTable(_ counts: [[Int]], names: [String], style: Style, width: Int?) -> [String] {
        let numbers = names.indices.map(String.init)
        let full = names.indices.map { "\(numbers[$0]) \(names[$0])" }
        // The table with bare numbers for labels is as wide as the header's `true \ predicted` allows; the rest is room for names.
        let corner = "true \\ predicted".count
        let unlabelled = table(counts, rowLabels: numbers, columnLabels: numbers, style: style)
        let room = width.map { $0 - ((unlabelled.map(TextTable.visibleWidth).max() ?? 0) - corner) } ?? Int.max
        let labelWidth = max(min(room, full.map(\.count).max() ?? 0), corner)
        return [caption] + table(counts, rowLabels: full.map { cut($0, to: labelWidth) }, columnLabels: numbers, style: style)
    }

    /// One cell per pair: the share of the true class's windows predicted as each class, on the `TerminalHeatMap`
    /// ramp (or its colours), the diagonal read off the recall column.
    private static func heatMap(_ counts: [[Int]], names: [String], style: Style, width: Int?) -> [String] {
        let recallWidth = 8
        let numbered = names.indices.map { "\($0) \(names[$0])" }
        let labelWidth = max(8, min(numbered.map(\.count).max() ?? 0, (width ?? Int.max) - counts.count - 3 - recallWidth))
        var lines = [caption, String(repeating: " ", count: labelWidth) + " │" + names.indices.map { String($0 % 10) }.joined()]
        for (i, row) in counts.enumerated() {
            let total = row.reduce(0, +)
            let cells = row.map { count -> String in
                let share = total > 0 ? Double(count) / Double(total) : 0
                let ramp = TerminalHeatMap.ramp, palette = TerminalHeatMap.palette
                if style.colour { return style.background(" ", palette[min(palette.count - 1, Int(share * Double(palette.count)))]) }
                return count == 0 ? " " : String(ramp[max(1, min(ramp.count - 1, Int(share * Double(ramp.count))))])
            }.joined()
            let label = cut(numbered[i], to: labelWidth).padding(toLength: labelWidth, withPad: " ", startingAt: 0)
            let recall = percent(total > 0 ? Double(row[i]) / Double(total) : 0)
            lines.append(label + " │" + cells + String(repeating: " ", count: max(1, recallWidth - recall.count)) + recall)
        }
        lines.append(String(repeating: " ", count: labelWidth) + " └" + String(repeating: "─", count: counts.count))
        lines.append(style.colour ? "cell: share of the row's windows, dark none … red all"
                                  : "cell: share of the row's windows, ' ' none … '@' all")
        return lines
    }

    /// The line above a numbered layout.
    private static let caption = "rows: N true class, columns: predicted class N"

    /// The table of counts (`·` for none, the diagonal bold) with a recall column.
    private static func table(_ counts: [[Int]], rowLabels: [String], columnLabels: [String], style: Style) -> [String] {
        let rows = counts.enumerated().map { i, row -> [String] in
            let total = row.reduce(0, +)
            let cells = row.enumerated().map { j, count in count == 0 ? "·" : (j == i ? style.bold(String(count)) : String(count)) }
            return [rowLabels[i]] + cells + [percent(total > 0 ? Double(row[i]) / Double(total) : 0)]
        }
        return TextTable(header: ["true \\ predicted"] + columnLabels + ["recall"], rows: rows,
                         alignments: [.left] + Array(repeating: .right, count: counts.count + 1)).render()
    }

    /// `text` cut to `width` characters, the last one `…` when cut.
    private static func cut(_ text: String, to width: Int) -> String {
        text.count <= width ? text : String(text.prefix(max(0, width - 1))) + "…"
    }

    private static func percent(_ value: Double) -> String {
        "\(Int((value * 1000).rounded()) / 10).\(Int((value * 1000).rounded()) % 10)%"
    }
}

/// A confusion matrix as a table: true class per row, predicted class per column, class names on both,
/// per-row recall at the end. Long names are shortened in the column headers and indexed.
public enum ConfusionMatrixView {
    /// The table's lines for `counts[true][predicted]`.
    public static func render(_ counts: [[Int]], classes: [String], style: Style) -> [String] {
        let n = counts.count
        let abbreviations = (0..<n).map { i -> String in
            let name = i < classes.count ? classes[i] : "c\(i)"
            return name.count <= 6 ? name : String(name.prefix(5)) + "…"
        }
        var rows: [[String]] = []
        for i in 0..<n {
            let rowTotal = counts[i].reduce(0, +)
            let recall = rowTotal > 0 ? Double(counts[i][i]) / Double(rowTotal) : 0
            let name = i < classes.count ? classes[i] : "c\(i)"
            let cells = counts[i].enumerated().map { j, count in
                count == 0 ? "·" : (j == i ? style.bold(String(count)) : String(count))
            }
            rows.append([name] + cells + [percent(recall)])
        }
        let table = TextTable(header: ["true \\ predicted"] + abbreviations + ["recall"], rows: rows,
                              alignments: [.left] + Array(repeating: .right, count: n + 1))
        return table.render()
    }

    private static func percent(_ value: Double) -> String {
        "\(Int((value * 1000).rounded()) / 10).\(Int((value * 1000).rounded()) % 10)%"
    }
}

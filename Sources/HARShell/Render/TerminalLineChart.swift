/// A text line chart of one or more series over a shared x axis (epochs): each series drawn with its own
/// mark, the y range labelled on the left, a legend underneath.
public enum TerminalLineChart {
    /// One named series of y values (x is the index, 1-based in the axis label).
    public struct Series: Sendable {
        /// The legend name.
        public var name: String
        /// The values; non-finite ones are skipped.
        public var values: [Double]

        /// A series.
        public init(_ name: String, _ values: [Double]) {
            self.name = name
            self.values = values
        }
    }

    /// The marks given to series in order.
    public static let marks: [Character] = ["*", "o", "+", "x", "#", "@"]

    /// The chart as lines, `height` rows of plot and at most `width` columns (points are averaged into columns).
    public static func render(_ series: [Series], width: Int = 60, height: Int = 12) -> [String] {
        let finite = series.flatMap(\.values).filter(\.isFinite)
        let length = series.map(\.values.count).max() ?? 0
        guard let lo = finite.min(), let hi = finite.max(), length > 0, height > 1 else { return ["(no data)"] }
        let columns = min(length, max(1, width))
        var grid = [[Character]](repeating: [Character](repeating: " ", count: columns), count: height)
        for (s, line) in series.enumerated() {
            for column in 0..<columns {
                let first = column * length / columns, last = max(first + 1, (column + 1) * length / columns)
                let points = (first..<min(last, line.values.count)).map { line.values[$0] }.filter(\.isFinite)
                guard !points.isEmpty else { continue }
                let y = points.reduce(0, +) / Double(points.count)
                let level = hi > lo ? (y - lo) / (hi - lo) : 0.5
                let row = height - 1 - Int((level * Double(height - 1)).rounded())
                grid[row][column] = marks[s % marks.count]
            }
        }
        let top = label(hi), bottom = label(lo)
        let labelWidth = max(top.count, bottom.count)
        var lines: [String] = []
        for (r, row) in grid.enumerated() {
            let text = r == 0 ? top : (r == height - 1 ? bottom : "")
            let plot = String(String(row).reversed().drop { $0 == " " }.reversed())
            lines.append(String(repeating: " ", count: labelWidth - text.count) + text + " │" + plot)
        }
        lines.append(String(repeating: " ", count: labelWidth) + " └" + String(repeating: "─", count: columns))
        lines.append(String(repeating: " ", count: labelWidth + 2) + "1…\(length)")
        lines.append(series.enumerated().map { "\(marks[$0.offset % marks.count]) \($0.element.name)" }.joined(separator: "   "))
        return lines
    }

    private static func label(_ value: Double) -> String {
        let rounded = (value * 10000).rounded() / 10000
        return "\(rounded)"
    }
}

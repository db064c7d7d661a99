import HARKit

/// A replay's activity timeline in the terminal: a band per line (true, predicted, wrong), time running left to
/// right in equal bins, each bin showing its most frequent activity as `stream`'s live bar shows a class
/// (`StreamBar.cell`: a coloured cell, or its letter without colour); a legend line names them.
enum TerminalTimeline {

    /// The bands of `timeline` in at most `width` columns (64 bins when nil).
    static func render(_ timeline: ActivityTimeline, style: Style, width: Int? = nil) -> [String] {
        let samples = timeline.truth.count
        guard samples > 0 else { return ["(no samples)"] }
        let labelWidth = 9
        let columns = max(1, min(samples, (width.map { $0 - labelWidth - 2 } ?? 64)))
        let shown = timeline.shownLabels()
        func bin(_ column: Int) -> Range<Int> {
            let lo = column * samples / columns
            return lo..<max(lo + 1, (column + 1) * samples / columns)
        }
        func band(_ name: String, _ cell: (Range<Int>) -> String) -> String {
            var line = name.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + " │" + (0..<columns).map { cell(bin($0)) }.joined()
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
        func classCell(_ label: Int?) -> String { label.map { StreamBar.cell($0, style: style) } ?? " " }
        let truth = band("true") { classCell(mostFrequent(timeline.truth[$0])) }
        let predicted = band("predicted") { classCell(mostFrequent(shown[$0].compactMap { $0 })) }
        let wrong = band("wrong") { range in
            let scored = range.filter { shown[$0] != nil }
            let misses = scored.filter { shown[$0] != timeline.truth[$0] }.count
            return misses * 2 > scored.count ? (style.colour ? style.red("×") : "×") : " "
        }
        let present = Set(timeline.truth + timeline.predictions.map(\.smoothedLabel)).sorted()
        let legend = present.map { label in
            classCell(label) + " " + (label < timeline.classNames.count ? timeline.classNames[label] : "class \(label)")
        }.joined(separator: "  ")
        let secondsPerColumn = timeline.duration / Double(columns)
        let axis = String(repeating: " ", count: labelWidth + 2) + "0…\(TrainingView.fixed(timeline.duration, 1)) s"
            + " (\(TrainingView.fixed(secondsPerColumn, 2)) s per column)"
        return [truth, predicted, wrong, axis, legend]
    }

    /// The most frequent value (the smallest among ties); nil for none.
    private static func mostFrequent(_ values: some Collection<Int>) -> Int? {
        var counts: [Int: Int] = [:]
        for value in values { counts[value, default: 0] += 1 }
        return counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key
    }
}

import Foundation

/// Rows of one recording file split into a label column and sensor channels, for the loaders of PAMAP2 and OPPORTUNITY.
struct LabelledTable {
    /// The label of each row.
    var labels: [Int]
    /// Sensor values, `rows × channels`, row-major (NaN where missing until filled).
    var values: [Double]
    /// Channels per row.
    var channels: Int
    /// Rows.
    var rows: Int { labels.count }

    /// Reads a blank-separated file of `columns` numbers per line, keeping 0-based `labelColumn` and `channelColumns`.
    /// - Throws: `DatasetError` naming the file and line of a bad row or a label that is not an integer.
    init(_ url: URL, columns: Int, labelColumn: Int, channelColumns: [Int]) throws {
        let keep = ([labelColumn] + channelColumns).sorted()
        var raw = [Double]()
        let rows = try DelimitedTable.read(url, separator: .blanks, columns: columns, keep: keep, allowsMissing: true, into: &raw)
        let width = keep.count
        let labelSlot = keep.firstIndex(of: labelColumn)!
        let channelSlots = channelColumns.map { keep.firstIndex(of: $0)! }
        channels = channelColumns.count
        labels = []
        labels.reserveCapacity(rows)
        values = [Double](repeating: 0, count: rows * channels)
        for r in 0..<rows {
            let label = raw[r * width + labelSlot]
            guard label == label.rounded(), abs(label) < 1e9 else {
                throw DatasetError.at(url, line: r + 1, "label column \(labelColumn + 1) holds '\(label)', expected an integer activity id")
            }
            labels.append(Int(label))
            for (c, slot) in channelSlots.enumerated() { values[r * channels + c] = raw[r * width + slot] }
        }
    }

    /// Removes the first `count` rows.
    mutating func dropFirst(_ count: Int) {
        let n = min(count, rows)
        labels.removeFirst(n)
        values.removeFirst(n * channels)
    }

    /// Keeps every `factor`-th row, starting with the first.
    mutating func downsample(by factor: Int) {
        guard factor > 1 else { return }
        let kept = stride(from: 0, to: rows, by: factor).map { $0 }
        values = kept.flatMap { r in values[(r * channels)..<((r + 1) * channels)] }
        labels = kept.map { labels[$0] }
    }

    /// Cuts the table into runs of equal consecutive labels, skipping rows whose label maps to nil; float32 values.
    func runs(classOf: (Int) -> Int?, subject: Int, group: Int, isOfficialTest: Bool) -> [Recording] {
        var recordings = [Recording]()
        var start = 0
        while start < rows {
            var end = start + 1
            while end < rows, labels[end] == labels[start] { end += 1 }
            if let label = classOf(labels[start]) {
                let values = self.values[(start * channels)..<(end * channels)].map { Float($0) }
                recordings.append(Recording(subject: subject, label: label, group: group, isOfficialTest: isOfficialTest, values: values, rows: end - start))
            }
            start = end
        }
        return recordings
    }
}

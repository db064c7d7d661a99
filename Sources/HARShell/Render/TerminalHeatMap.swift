/// A terminal heat map of a time × channel matrix (an attention map): one row per channel, labelled with
/// its name, time running left to right, averaged down to at most `maxColumns` columns.
/// With colour, cells are xterm-256 greyscale-to-red backgrounds; without, the characters ` .:-=+*#%@`.
public enum TerminalHeatMap {
    /// The characters from lowest to highest value.
    public static let ramp = Array(" .:-=+*#%@")
    /// xterm-256 colours from lowest to highest value (dark blue through yellow to red).
    public static let palette = [17, 18, 19, 25, 31, 37, 43, 79, 115, 151, 187, 223, 222, 215, 209, 203, 196]

    /// The heat map of `values[t][c]` as lines: a row per channel and a time axis line.
    /// - Parameters:
    ///   - values: time × channel values (every row the same length).
    ///   - channels: a name per channel.
    ///   - maxColumns: the most time columns drawn; longer series are averaged in equal bins.
    ///   - width: the columns a line may take (fewer time columns when the labels leave less room); nil for no limit.
    public static func render(_ values: [[Double]], channels: [String], style: Style, maxColumns: Int = 64, width: Int? = nil) -> [String] {
        guard let first = values.first, !first.isEmpty else { return ["(empty map)"] }
        let steps = values.count
        let labelWidth = min(24, channels.map(\.count).max() ?? 0)
        let columns = min(steps, max(1, min(maxColumns, width.map { $0 - labelWidth - 2 } ?? maxColumns)))
        let binned: [[Double]] = (0..<columns).map { column in
            let lo = column * steps / columns, hi = max(lo + 1, (column + 1) * steps / columns)
            return (0..<first.count).map { c in (lo..<hi).reduce(0) { $0 + values[$1][c] } / Double(hi - lo) }
        }
        let flat = binned.flatMap { $0 }.filter(\.isFinite)
        let lo = flat.min() ?? 0, hi = flat.max() ?? 0
        var lines: [String] = []
        for c in 0..<first.count {
            let name = c < channels.count ? channels[c] : "ch\(c)"
            let label = String(name.prefix(labelWidth)).padding(toLength: labelWidth, withPad: " ", startingAt: 0)
            var row = label + " │"
            for column in 0..<columns {
                let level = normalized(binned[column][c], lo, hi)
                if style.colour {
                    let index = palette[min(palette.count - 1, Int(level * Double(palette.count)))]
                    row += style.background(" ", index)
                } else {
                    row.append(ramp[min(ramp.count - 1, Int(level * Double(ramp.count)))])
                }
            }
            lines.append(row)
        }
        let axis = String(repeating: " ", count: labelWidth) + " └" + String(repeating: "─", count: columns)
        lines.append(axis)
        lines.append(String(repeating: " ", count: labelWidth + 2) + "time 0…\(steps - 1)"
                     + (columns < steps ? " (\(steps / columns)+ steps per column)" : "")
                     + "   scale \(short(lo))…\(short(hi))")
        return lines
    }

    private static func normalized(_ value: Double, _ lo: Double, _ hi: Double) -> Double {
        guard value.isFinite, hi > lo else { return 0 }
        return min(1, max(0, (value - lo) / (hi - lo)))
    }

    private static func short(_ value: Double) -> String {
        let text = "\(((value * 1000).rounded()) / 1000)"
        return text
    }
}

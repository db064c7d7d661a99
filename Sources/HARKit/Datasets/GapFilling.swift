/// Linear interpolation over missing (NaN) samples, channel by channel, in a row-major `rows × channels` buffer.
enum GapFilling {
    /// How samples before the first valid one are treated.
    enum Edges {
        /// Leading and trailing gaps take the nearest valid value (both directions).
        case nearest
        /// Only trailing gaps take the last valid value; leading NaN stay (pandas' default `interpolate()`).
        case forwardOnly
    }

    /// Fills NaN gaps: interior gaps linearly between their neighbours, edges as `edges` says. A channel with no valid sample is left as it is.
    static func fill(_ values: inout [Double], rows: Int, channels: Int, edges: Edges) {
        for c in 0..<channels {
            var previous = -1
            for r in 0..<rows where !values[r * channels + c].isNaN {
                if previous < 0 {
                    if edges == .nearest { for k in 0..<r { values[k * channels + c] = values[r * channels + c] } }
                } else if r - previous > 1 {
                    // NumPy's interp arithmetic (slope × offset + start), so values match pandas' interpolate() exactly.
                    let a = values[previous * channels + c], slope = (values[r * channels + c] - a) / Double(r - previous)
                    for k in (previous + 1)..<r { values[k * channels + c] = slope * Double(k - previous) + a }
                }
                previous = r
            }
            if previous >= 0 { for k in (previous + 1)..<max(previous + 1, rows) { values[k * channels + c] = values[previous * channels + c] } }
        }
    }
}

/// Colours of plots: distinct series colours (Tableau 10) and a perceptually even heat-map scale (viridis).
enum PlotPalette {
    /// Series colours, reused in order.
    static let series = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]

    /// The colour of series `index`.
    static func series(_ index: Int) -> String { series[index % series.count] }

    private static let viridis: [(Double, Double, Double)] = [
        (68, 1, 84), (72, 40, 120), (62, 74, 137), (49, 104, 142), (38, 130, 142),
        (31, 158, 137), (53, 183, 121), (110, 206, 88), (181, 222, 43), (253, 231, 37),
    ]

    /// The viridis colour of `value` in 0…1 (clamped), as `#rrggbb`.
    static func heat(_ value: Double) -> String {
        let v = value.isFinite ? min(max(value, 0), 1) : 0
        let position = v * Double(viridis.count - 1)
        let low = Int(position.rounded(.down)), high = min(low + 1, viridis.count - 1)
        let t = position - Double(low)
        let (a, b) = (viridis[low], viridis[high])
        func channel(_ x: Double, _ y: Double) -> String {
            let byte = Int((x + (y - x) * t).rounded())
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }
        return "#" + channel(a.0, b.0) + channel(a.1, b.1) + channel(a.2, b.2)
    }

    /// Whether text on the heat colour of `value` should be white (dark background) rather than black.
    static func needsLightText(_ value: Double) -> Bool { value < 0.6 }
}

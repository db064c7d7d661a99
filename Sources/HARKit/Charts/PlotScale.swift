import Foundation

/// A linear mapping from data values to pixels, with "nice" tick values (1, 2 or 5 × 10ⁿ apart).
struct PlotScale {
    /// The data range shown, widened to whole ticks.
    let low: Double, high: Double
    /// The pixel positions of `low` and `high`.
    let start: Double, end: Double
    /// Tick values within the range.
    let ticks: [Double]
    /// The spacing of the ticks.
    let step: Double

    /// A scale covering `values` (and `including`, e.g. 0) between pixels `start` and `end` with about `tickCount` ticks.
    init(covering values: [Double], including extra: [Double] = [], from start: Double, to end: Double, tickCount: Int = 6) {
        let finite = (values + extra).filter(\.isFinite)
        var low = finite.min() ?? 0, high = finite.max() ?? 1
        if low == high { (low, high) = (low - 0.5, high + 0.5) }
        let step = PlotScale.niceStep((high - low) / Double(max(tickCount - 1, 1)))
        low = (low / step).rounded(.down) * step
        high = (high / step).rounded(.up) * step
        self.low = low
        self.high = high
        self.start = start
        self.end = end
        self.step = step
        ticks = stride(from: low, through: high + step / 2, by: step).map { abs($0) < step * 1e-9 ? 0 : $0 }
    }

    /// The pixel of `value`.
    func position(_ value: Double) -> Double { start + (value - low) / (high - low) * (end - start) }

    /// A tick label with as many decimals as the step needs.
    func label(_ value: Double) -> String {
        let decimals = max(0, -Int((log10(step)).rounded(.down)))
        return String(format: "%.\(min(decimals, 6))f", value)
    }

    /// 1, 2 or 5 times a power of ten, the smallest such not below `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let power = pow(10, (log10(raw)).rounded(.down))
        for factor in [1.0, 2, 5, 10] where factor * power >= raw * (1 - 1e-9) { return factor * power }
        return 10 * power
    }
}

/// In-place operations on one window of a `[N, T, C]` buffer, used by the augmentations.
enum TimeSeriesOps {
    /// Applies the row-major 3×3 `matrix` to channels `triad` (x, y, z) at every time step of window `window`.
    static func rotate(_ values: inout [Float], window: Int, size: Int, channels: Int, triad: [Int], matrix m: [Float], steps: Int) {
        for t in 0..<steps {
            let base = window * size + t * channels
            let x = values[base + triad[0]], y = values[base + triad[1]], z = values[base + triad[2]]
            values[base + triad[0]] = m[0] * x + m[1] * y + m[2] * z
            values[base + triad[1]] = m[3] * x + m[4] * y + m[5] * z
            values[base + triad[2]] = m[6] * x + m[7] * y + m[8] * z
        }
    }

    /// Reverses the time steps of window `window`.
    static func reverse(_ values: inout [Float], window: Int, size: Int, channels: Int, steps: Int) {
        for t in 0..<(steps / 2) {
            let a = window * size + t * channels, b = window * size + (steps - 1 - t) * channels
            for c in 0..<channels { values.swapAt(a + c, b + c) }
        }
    }

    /// Replaces window `window` by its linear interpolation at fractional time `positions` (one per output step, within 0…steps−1).
    static func resample(_ values: inout [Float], window: Int, size: Int, channels: Int, steps: Int, at positions: [Float]) {
        let base = window * size
        let original = Array(values[base..<(base + size)])
        for (t, position) in positions.enumerated() {
            let clamped = min(max(position, 0), Float(steps - 1))
            let i = min(Int(clamped), steps - 2 < 0 ? 0 : steps - 2)
            let f = clamped - Float(i)
            for c in 0..<channels {
                let a = original[i * channels + c]
                let b = steps > 1 ? original[(i + 1) * channels + c] : a
                values[base + t * channels + c] = a + (b - a) * f
            }
        }
    }

    /// Monotone sample positions from 0 to steps−1 whose local speed follows a smooth random curve (four knots, speeds ~ N(1, σ), at least 0.1).
    static func warpedPositions(steps: Int, sigma: Float, using random: inout SeededGenerator) -> [Float] {
        let knots = (0..<4).map { _ in max(0.1, 1 + sigma * random.gaussian()) }
        var cumulative = [Float](repeating: 0, count: steps)
        for t in 1..<max(steps, 1) {
            let u = Float(t) / Float(max(steps - 1, 1)) * Float(knots.count - 1)
            let k = min(Int(u), knots.count - 2)
            let speed = knots[k] + (knots[k + 1] - knots[k]) * (u - Float(k))
            cumulative[t] = cumulative[t - 1] + speed
        }
        let total = cumulative.last ?? 0
        return cumulative.map { total > 0 ? $0 / total * Float(steps - 1) : 0 }
    }

    /// A smooth random multiplier per time step: four knots ~ N(1, σ), spread evenly over the window and joined linearly.
    static func smoothCurve(steps: Int, sigma: Float, using random: inout SeededGenerator) -> [Float] {
        let knots = (0..<4).map { _ in 1 + sigma * random.gaussian() }
        return (0..<steps).map { t in
            let u = Float(t) / Float(max(steps - 1, 1)) * Float(knots.count - 1)
            let k = min(Int(u), knots.count - 2)
            return knots[k] + (knots[k + 1] - knots[k]) * (u - Float(k))
        }
    }
}

import Foundation

extension SeededGenerator {
    /// A Gamma(shape, 1) sample (Marsaglia–Tsang; shapes below 1 boosted by U^(1/shape)).
    mutating func gamma(_ shape: Float) -> Float {
        if shape < 1 { return gamma(shape + 1) * pow(max(unit(), 1e-12), 1 / shape) }
        let d = shape - 1 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            let x = gaussian()
            let v = pow(1 + c * x, 3)
            guard v > 0 else { continue }
            let u = max(unit(), 1e-12)
            if log(u) < 0.5 * x * x + d - d * v + d * log(v) { return d * v }
        }
    }

    /// A Beta(α, α) sample in [0, 1].
    mutating func beta(_ alpha: Float) -> Float {
        let a = gamma(alpha), b = gamma(alpha)
        return a + b > 0 ? a / (a + b) : 0.5
    }
}

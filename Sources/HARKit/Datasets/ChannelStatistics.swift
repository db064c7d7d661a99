/// Per-channel z-scoring of `[N, T, C]` windows (viewed as rows of C values).
enum ChannelStatistics {
    /// Mean and population standard deviation of each channel over the first `rows` rows (std 1 where a channel is constant).
    static func fit(_ values: [Float], rows: Int, channels: Int) -> (mean: [Float], std: [Float]) {
        var sum = [Double](repeating: 0, count: channels)
        var squares = [Double](repeating: 0, count: channels)
        values.withUnsafeBufferPointer { v in
            for r in 0..<rows {
                let row = v.baseAddress! + r * channels
                for c in 0..<channels { sum[c] += Double(row[c]) }
            }
            let mean = sum.map { $0 / Double(max(rows, 1)) }
            for r in 0..<rows {
                let row = v.baseAddress! + r * channels
                for c in 0..<channels {
                    let d = Double(row[c]) - mean[c]
                    squares[c] += d * d
                }
            }
            sum = mean
        }
        let std = squares.map { s -> Float in
            let sd = (s / Double(max(rows, 1))).squareRoot()
            return sd > 0 ? Float(sd) : 1
        }
        return (sum.map(Float.init), std)
    }

    /// Replaces every value by `(value − mean[c]) / std[c]`.
    static func apply(mean: [Float], std: [Float], to values: inout [Float], channels: Int) {
        values.withUnsafeMutableBufferPointer { v in
            let rows = v.count / channels
            for r in 0..<rows {
                let row = v.baseAddress! + r * channels
                for c in 0..<channels { row[c] = (row[c] - mean[c]) / std[c] }
            }
        }
    }
}

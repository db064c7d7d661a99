/// Per-channel z-scoring of `[N, T, C]` windows (viewed as rows of C values).
enum ChannelStatistics {
    /// Mean and population standard deviation of each channel over the first `rows` rows, skipping NaN
    /// (as scikit-learn's StandardScaler does); std 1 where a channel is constant or empty.
    static func fit(_ values: [Float], rows: Int, channels: Int) -> (mean: [Float], std: [Float]) {
        var sum = [Double](repeating: 0, count: channels)
        var squares = [Double](repeating: 0, count: channels)
        var counts = [Int](repeating: 0, count: channels)
        values.withUnsafeBufferPointer { v in
            for r in 0..<rows {
                let row = v.baseAddress! + r * channels
                for c in 0..<channels where !row[c].isNaN {
                    sum[c] += Double(row[c])
                    counts[c] += 1
                }
            }
            for c in 0..<channels { sum[c] /= Double(max(counts[c], 1)) }
            for r in 0..<rows {
                let row = v.baseAddress! + r * channels
                for c in 0..<channels where !row[c].isNaN {
                    let d = Double(row[c]) - sum[c]
                    squares[c] += d * d
                }
            }
        }
        let std = (0..<channels).map { c -> Float in
            let sd = (squares[c] / Double(max(counts[c], 1))).squareRoot()
            return sd > 0 ? Float(sd) : 1
        }
        return (sum.map(Float.init), std)
    }

    /// Replaces every value by `(value − mean[c]) / std[c]` (NaN stay NaN).
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

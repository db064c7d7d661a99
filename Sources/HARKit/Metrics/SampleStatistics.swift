/// The mean and spread that every result over folds, seeds, trials or subjects reports.
enum SampleStatistics {
    /// The arithmetic mean; NaN without values.
    static func mean(_ values: [Double]) -> Double { values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count) }

    /// The sample standard deviation (n − 1); 0 for one value or none.
    static func standardDeviation(_ values: [Double]) -> Double {
        guard values.count > 1 else { return 0 }
        let m = mean(values)
        return (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot()
    }
}

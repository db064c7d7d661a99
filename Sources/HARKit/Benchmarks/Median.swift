/// The median of benchmark repetitions: the middle of the sorted values, the upper middle for an even count (one of
/// the measured values, never an average of two), NaN without values.
func median(_ values: [Double]) -> Double { values.isEmpty ? .nan : values.sorted()[values.count / 2] }

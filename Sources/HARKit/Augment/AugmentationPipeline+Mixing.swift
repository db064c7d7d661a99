extension AugmentationPipeline {
    /// Replaces each window n of `values` by `weight`·window n + (1 − `weight`)·window `partners[n]`.
    static func blend(_ values: inout [Float], size: Int, partners: [Int], weight: Float) -> Mix {
        let original = values
        for n in partners.indices {
            for k in 0..<size { values[n * size + k] = weight * original[n * size + k] + (1 - weight) * original[partners[n] * size + k] }
        }
        return Mix(partners: partners, weight: weight)
    }

    /// For each of `count` batch positions, a partner drawn uniformly from the positions whose subject differs from its own;
    /// a position whose every batch-mate shares its subject (or whose subjects are unknown) draws from the whole batch.
    static func partnersFromOtherSubjects(_ subjects: [Int], count: Int, using random: inout SeededGenerator) -> [Int] {
        guard subjects.count == count else { return (0..<count).map { _ in Int(random.next() % UInt64(count)) } }
        var positions = [Int: [Int]]()
        for (position, subject) in subjects.enumerated() { positions[subject, default: []].append(position) }
        return (0..<count).map { n in
            let others = count - positions[subjects[n]]!.count
            guard others > 0 else { return Int(random.next() % UInt64(count)) }
            // The k-th position (in batch order) whose subject is not n's.
            var k = Int(random.next() % UInt64(others))
            for position in 0..<count where subjects[position] != subjects[n] {
                if k == 0 { return position }
                k -= 1
            }
            preconditionFailure("fewer than \(others) positions of other subjects")
        }
    }
}

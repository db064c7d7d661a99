extension DatasetAssembler {
    /// The recordings of the subjects `kept` (the `subjects=` load option), in their order.
    /// - Throws: `DatasetError` naming the subjects the source does not have, with those it has.
    static func keeping(_ kept: [Int], of recordings: [Recording], source: DatasetSource) throws -> [Recording] {
        let present = Set(recordings.map(\.subject))
        let absent = kept.filter { !present.contains($0) }
        guard absent.isEmpty else {
            throw DatasetError("subjects=\(kept.map(String.init).joined(separator: ",")): \(source.name) has no subject "
                               + absent.map(String.init).joined(separator: ", ")
                               + " (subjects present: \(present.sorted().map(String.init).joined(separator: ", ")))")
        }
        let wanted = Set(kept)
        return recordings.filter { wanted.contains($0.subject) }
    }
}

import HARKit

/// Lines that explain a dataset's protocol to someone who did not choose it.
enum DatasetView {
    /// Which windows validation holds out and how to change that: `validation: val 0.1 held out subject 3 of the
    /// training subjects 1 2 3 4 5 (seed 1); 'set val F' then 'load' again to change`.
    static func validationLine(_ dataset: HARDataset) -> String {
        let proto = dataset.protocolDescription
        let fraction = ConfigKey.format(proto.validationFraction)
        let held = dataset.subjects(in: .validation)
        guard !held.isEmpty else {
            return "validation: none (val \(fraction)): early stopping and tuning need it; 'set val 0.1' then 'load' again"
        }
        let pool = Set(held + dataset.subjects(in: .train)).sorted()
        let whole = Set(held).isDisjoint(with: dataset.subjects(in: .train))
        let what = whole ? "subject\(held.count == 1 ? "" : "s") \(held.map(String.init).joined(separator: " ")) of the training subjects"
                         : "\(fraction) of the windows of the training subjects"
        return "validation: val \(fraction) held out \(what) \(pool.map(String.init).joined(separator: " ")) (seed \(proto.seed)); "
            + "'set val F' then 'load' again to change"
    }
}

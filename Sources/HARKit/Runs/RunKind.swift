/// What a run in the store is: a whole result (a held-out `train`, a cross-validation, a search, repeated seeds) or
/// a member of one (a fold, a trial, one seed), which never stands beside whole results in `compare`.
public enum RunKind: String, Sendable, Codable, CaseIterable {
    /// A model trained and evaluated on its held-out test split.
    case train
    /// A cross-validation: its figures are the mean ± std over its folds.
    case cv
    /// One fold of a cross-validation (its group).
    case fold
    /// A hyperparameter search: its figures are its best trial's, evaluated on the test split.
    case tune
    /// One trial of a search (its group).
    case trial
    /// The same training repeated with several seeds: its figures are the mean ± std over the seeds.
    case seeds
    /// One seed of a repeated training (its group).
    case seed

    /// Whether runs of this kind are whole results (ranked by `compare`), not members of one.
    public var isWholeResult: Bool {
        switch self {
        case .train, .cv, .tune, .seeds: return true
        case .fold, .trial, .seed: return false
        }
    }

    /// The member kind of a group kind (`fold` for `cv`, …); nil for kinds that have no members.
    public var memberKind: RunKind? {
        switch self {
        case .cv: return .fold
        case .tune: return .trial
        case .seeds: return .seed
        case .train, .fold, .trial, .seed: return nil
        }
    }
}

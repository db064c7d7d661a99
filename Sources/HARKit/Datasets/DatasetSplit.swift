/// Which part of a dataset a window belongs to.
public enum DatasetSplit: String, Sendable, CaseIterable, Codable {
    case train, validation, test
}

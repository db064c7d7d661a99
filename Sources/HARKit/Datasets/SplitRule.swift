/// How windows are divided into train and test: by held-out subjects, by a ratio within each recording, or by the publisher's split.
public enum SplitRule: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Windows of these subjects are the test set.
    case subjects([Int])
    /// Within each recording, the first `train/(train+test)` of the windows train, the rest test.
    case ratio(train: Int, test: Int)
    /// The dataset's reference split (official files or held-out subjects).
    case official

    /// Parses `subjects:7,8`, `ratio:8:2` or `official`.
    /// - Throws: `DatasetError` naming the text and the accepted forms.
    public init(parsing text: String) throws {
        let usage = "expected split=subjects:1,2 | ratio:8:2 | official"
        if text == "official" { self = .official; return }
        if text.hasPrefix("subjects:") {
            let items = text.dropFirst("subjects:".count).split(separator: ",", omittingEmptySubsequences: false)
            let ids = items.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !items.isEmpty, ids.count == items.count else { throw DatasetError("bad split '\(text)': subject ids must be integers; \(usage)") }
            self = .subjects(ids)
            return
        }
        if text.hasPrefix("ratio:") {
            let parts = text.dropFirst("ratio:".count).split(separator: ":").compactMap { Int($0) }
            guard parts.count == 2, parts[0] > 0, parts[1] > 0 else { throw DatasetError("bad split '\(text)': \(usage)") }
            self = .ratio(train: parts[0], test: parts[1])
            return
        }
        throw DatasetError("bad split '\(text)': \(usage)")
    }

    /// The option text that parses back to this rule.
    public var description: String {
        switch self {
        case .subjects(let ids): return "subjects:" + ids.map(String.init).joined(separator: ",")
        case .ratio(let train, let test): return "ratio:\(train):\(test)"
        case .official: return "official"
        }
    }
}

import Foundation

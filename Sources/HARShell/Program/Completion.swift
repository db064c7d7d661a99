/// The completions of the word under the cursor: where that word starts and the full words it may become.
public struct Completion: Sendable, Equatable {
    /// What has been typed of the word being completed.
    public var typed: String
    /// Every full word that fits, sorted.
    public var candidates: [String]

    /// A completion.
    public init(typed: String, candidates: [String]) {
        self.typed = typed
        self.candidates = candidates
    }

    /// The text to insert at the cursor: the candidates' common extension of `typed`, plus a space when
    /// exactly one candidate fits and it is a whole word (not a folder `…/` or an option `key=`).
    public var insertion: String {
        guard let first = candidates.first else { return "" }
        var prefix = first
        for candidate in candidates.dropFirst() {
            while !candidate.hasPrefix(prefix) { prefix.removeLast() }
        }
        guard prefix.count >= typed.count, prefix.hasPrefix(typed) else { return "" }
        var text = String(prefix.dropFirst(typed.count))
        if candidates.count == 1, !(first.hasSuffix("/") || first.hasSuffix("=")) { text += " " }
        return text
    }

    /// The candidates laid out in columns no wider than `width`, for listing under the prompt.
    public func listing(width: Int = 80) -> [String] {
        guard candidates.count > 1 else { return [] }
        let column = (candidates.map(\.count).max() ?? 0) + 2
        let perLine = max(1, width / column)
        return stride(from: 0, to: candidates.count, by: perLine).map { start in
            let row = candidates[start..<min(start + perLine, candidates.count)]
            let cells = row.map { $0.padding(toLength: column, withPad: " ", startingAt: 0) }
            return String(cells.joined().reversed().drop { $0 == " " }.reversed())
        }
    }
}

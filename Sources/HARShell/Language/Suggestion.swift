/// "Did you mean …?" for a mistyped word: the nearest valid word by edit distance.
public enum Suggestion {
    /// The candidate nearest to `word`, if one is close enough to be a likely typo.
    ///
    /// Close enough: an edit distance (insertions, deletions, substitutions, adjacent swaps) of at most
    /// a third of the word's length (at least 1, at most 3), or `word` being a prefix of exactly one candidate.
    public static func nearest(to word: String, among candidates: [String]) -> String? {
        let lowered = word.lowercased()
        let limit = min(3, max(1, lowered.count / 3))
        var best: (String, Int)?
        for candidate in candidates {
            let d = distance(lowered, candidate.lowercased())
            if d <= limit, d < (best?.1 ?? .max) { best = (candidate, d) }
        }
        if let best { return best.0 }
        let extending = candidates.filter { !lowered.isEmpty && $0.lowercased().hasPrefix(lowered) }
        return extending.count == 1 ? extending[0] : nil
    }

    /// `"unknown KIND 'word'"`, followed by ` — did you mean 'x'?` when a near candidate exists.
    public static func unknown(_ kind: String, _ word: String, among candidates: [String]) -> String {
        var message = "unknown \(kind) '\(word)'"
        if let near = nearest(to: word, among: candidates) {
            message += " — did you mean '\(near)'?"
        } else if !candidates.isEmpty, candidates.count <= 12 {
            message += " (one of: \(candidates.joined(separator: ", ")))"
        }
        return message
    }

    /// Optimal-string-alignment distance between `a` and `b`.
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}

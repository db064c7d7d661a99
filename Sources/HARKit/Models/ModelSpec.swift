/// A parsed model specification: `name[+name…] [key=value…]`, e.g. `attn+lstm hidden=128 dropout=0.2`.
///
/// The first part names the feature extractor (a convolutional stem, or nothing for pure sequence
/// models), the optional second part the reader of its time axis; alone, a stem gets the reference
/// pooled head and a reader reads the raw channels.
public struct ModelSpec: Sendable, Equatable, CustomStringConvertible {
    /// Convolutional stems (they keep the time × channel layout).
    public static let stems = ["sa", "cnn", "ca", "resnet"]
    /// Sequence readers of the time axis.
    public static let readers = ["lstm", "gru", "transformer"]
    /// Names that stand alone only.
    public static let standalone = ["deepconvlstm"]
    /// Accepted aliases.
    public static let aliases = ["attn": "sa", "attention": "sa", "spatial": "sa", "channel": "ca", "conv": "cnn"]
    /// Every option key with its meaning.
    public static let optionKeys: [(key: String, meaning: String)] = [
        ("width", "channels of the first conv stage (doubling per stage; reference 64)"),
        ("depth", "number of conv stages (reference 4)"),
        ("hidden", "hidden size of LSTM/GRU readers, model size of Transformers"),
        ("layers", "recurrent or Transformer encoder layers"),
        ("heads", "attention heads of Transformer layers"),
        ("dropout", "dropout probability before the classifier and inside readers"),
        ("patch", "time steps per token of a stand-alone Transformer"),
    ]
    /// Every name a spec part may use, for messages and completion.
    public static var knownNames: [String] {
        stems + readers + standalone + aliases.keys.sorted()
    }
    /// Every form a model spec may take, in words: the single models, the hybrids and the aliases.
    public static var validForms: String {
        let aliasText = aliases.keys.sorted().map { "\($0)=\(aliases[$0]!)" }.joined(separator: ", ")
        return (stems + readers + standalone).joined(separator: ", ")
            + ", or a hybrid STEM+READER with STEM \(stems.joined(separator: "|")) and READER \(readers.joined(separator: "|"))"
            + " (e.g. sa+lstm, cnn+gru); aliases \(aliasText)"
    }
    /// Typical specs, for help and completion.
    public static let examples = ["sa", "cnn", "ca", "resnet", "lstm", "gru", "transformer", "deepconvlstm",
                                  "attn+lstm", "sa+lstm", "sa+gru", "sa+transformer", "cnn+lstm"]

    /// The stem, if any (canonical name).
    public var stem: String?
    /// The reader, if any (canonical name).
    public var reader: String?
    /// A stand-alone architecture, if any.
    public var standaloneName: String?
    /// Options given with the spec.
    public var options: [String: Double]
    /// The spec as the user wrote its name part.
    public var name: String

    /// Parses `text` (the name part, e.g. `sa+lstm`) and `options` (`hidden` → "128").
    /// - Throws: `ModelSpecError` naming the unknown part or key and listing the valid ones.
    public init(_ text: String, options: [String: String] = [:]) throws {
        name = text.lowercased()
        let parts = name.split(separator: "+", omittingEmptySubsequences: false).map { String($0) }
        guard !parts.isEmpty, parts.count <= 2, !parts.contains("") else {
            throw ModelSpecError("model spec '\(text)' must be NAME or STEM+READER (e.g. sa+lstm)", word: text)
        }
        let canonical = try parts.indices.map { index -> String in
            let resolved = ModelSpec.aliases[parts[index]] ?? parts[index]
            guard (ModelSpec.stems + ModelSpec.readers + ModelSpec.standalone).contains(resolved) else {
                throw ModelSpecError.unknownModel(parts, at: index)
            }
            return resolved
        }
        if canonical.count == 1 {
            let only = canonical[0]
            if ModelSpec.stems.contains(only) { stem = only } else if ModelSpec.readers.contains(only) { reader = only } else { standaloneName = only }
        } else {
            guard ModelSpec.stems.contains(canonical[0]) else {
                throw ModelSpecError("'\(parts[0])' cannot start a hybrid: the first part is a conv stem (\(ModelSpec.stems.joined(separator: ", ")))", word: parts[0])
            }
            guard ModelSpec.readers.contains(canonical[1]) else {
                throw ModelSpecError("'\(parts[1])' cannot read a stem's output: the second part is one of \(ModelSpec.readers.joined(separator: ", "))", word: parts[1])
            }
            (stem, reader) = (canonical[0], canonical[1])
        }
        var parsed: [String: Double] = [:]
        for (key, value) in options {
            guard ModelSpec.optionKeys.contains(where: { $0.key == key }) else {
                throw ModelSpecError.unknown("model option", key, valid: ModelSpec.optionKeys.map(\.key))
            }
            guard let number = Double(value), number.isFinite else {
                throw ModelSpecError("model option \(key)=\(value) is not a number", word: value)
            }
            let isProbability = key == "dropout"
            if isProbability ? !(0..<1).contains(number) : (number < 1 || number != number.rounded() || number > 65536) {
                throw ModelSpecError(isProbability ? "dropout must be in [0, 1), got \(value)" : "\(key) must be a whole number from 1 to 65536, got \(value)", word: value)
            }
            parsed[key] = number
        }
        self.options = parsed
    }

    /// An integer option, or `fallback`.
    public func integer(_ key: String, default fallback: Int) -> Int { options[key].map { Int($0) } ?? fallback }

    /// A real option, or `fallback`.
    public func real(_ key: String, default fallback: Double) -> Double { options[key] ?? fallback }

    public var description: String {
        ([name] + options.keys.sorted().map { key in
            let value = options[key]!
            return value == value.rounded() && key != "dropout" ? "\(key)=\(Int(value))" : "\(key)=\(value)"
        }).joined(separator: " ")
    }
}

/// A model spec that could not be understood.
public struct ModelSpecError: HARKitError {
    /// What was wrong, with the valid alternatives.
    public let message: String
    /// The offending word, for pointing at it.
    public let word: String

    init(_ message: String, word: String) { (self.message, self.word) = (message, word) }

    /// `unknown model 'atn+lstm' — did you mean 'attn+lstm'? (valid: …)`: the whole spec, the nearest name for its
    /// unknown part `parts[index]` (a stem or alias first in a hybrid, a reader second) and every valid form, hybrids
    /// included; `word` is the unknown part, for the caret.
    static func unknownModel(_ parts: [String], at index: Int) -> ModelSpecError {
        let word = parts[index]
        let stemNames = ModelSpec.stems + ModelSpec.aliases.filter { ModelSpec.stems.contains($0.value) }.keys.sorted()
        let candidates = parts.count == 1 ? ModelSpec.knownNames : (index == 0 ? stemNames : ModelSpec.readers)
        let guess = candidates.min { editDistance($0, word) < editDistance($1, word) }
            .flatMap { editDistance($0, word) <= max(2, word.count / 3) ? $0 : nil }
        var corrected = parts
        let hint = guess.map { guess -> String in
            corrected[index] = guess
            return " — did you mean '\(corrected.joined(separator: "+"))'?"
        } ?? ""
        return ModelSpecError("unknown model '\(parts.joined(separator: "+"))'\(hint) (valid: \(ModelSpec.validForms))", word: word)
    }

    static func unknown(_ what: String, _ word: String, valid: [String]) -> ModelSpecError {
        let guess = valid.min { editDistance($0, word) < editDistance($1, word) }
        let hint = guess.flatMap { editDistance($0, word) <= max(2, word.count / 3) ? " — did you mean '\($0)'?" : nil } ?? ""
        return ModelSpecError("unknown \(what) '\(word)'\(hint) (valid: \(valid.joined(separator: ", ")))", word: word)
    }
}

/// The Levenshtein distance between two strings.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in stride(from: 1, through: b.count, by: 1) {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}

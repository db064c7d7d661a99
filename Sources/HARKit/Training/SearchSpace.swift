import Foundation

/// The hyperparameters a search varies and how each is drawn, parsed from text such as
/// `lr=1e-4..1e-2:log, batch=64|128, dropout=0..0.5, hidden=64|128|256`.
public struct SearchSpace: Sendable, Equatable {
    /// How one hyperparameter is drawn.
    public enum Range: Sendable, Equatable, CustomStringConvertible {
        /// Log-uniform between two positive bounds (`a..b:log`).
        case logUniform(Double, Double)
        /// Uniform between two bounds (`a..b`).
        case uniform(Double, Double)
        /// A whole number between two bounds, both included (`a..b:int`, or `a..b` for a whole-number key).
        case integer(Int, Int)
        /// One of several values (`a|b|c`).
        case choice([String])

        public var description: String {
            switch self {
            case .logUniform(let a, let b): return "\(a)..\(b):log"
            case .uniform(let a, let b): return "\(a)..\(b)"
            case .integer(let a, let b): return "\(a)..\(b):int"
            case .choice(let values): return values.joined(separator: "|")
            }
        }
    }

    /// Keys of training settings (the shell's `set` names) a search may vary.
    public static let configKeys = ["lr", "batch", "wd", "l1", "l2", "dropout", "gamma", "momentum", "clip", "step", "patience",
                                    "optimizer", "schedule", "smoothing"]
    /// Keys that take whole numbers.
    static let integerKeys: Set<String> = ["batch", "step", "patience", "width", "depth", "hidden", "layers", "heads", "patch"]

    /// The parameters in the order written.
    public let parameters: [(key: String, range: Range)]

    /// Parses `key=range` items separated by commas.
    /// - Throws: `TuningError` naming the item that is malformed, the unknown key (with the valid ones), or bounds out of order.
    public init(parsing text: String) throws {
        var parsed: [(key: String, range: Range)] = []
        let validKeys = SearchSpace.configKeys + ModelSpec.optionKeys.map(\.key).filter { !SearchSpace.configKeys.contains($0) }
        for item in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw TuningError("'\(item)' is not KEY=RANGE (e.g. lr=1e-4..1e-2:log, batch=64|128, dropout=0..0.5)")
            }
            let key = parts[0].lowercased()
            guard validKeys.contains(key) else {
                let guess = validKeys.min { editDistance($0, key) < editDistance($1, key) }.map { " — did you mean '\($0)'?" } ?? ""
                throw TuningError("cannot tune '\(key)'\(guess) (tunable: \(validKeys.joined(separator: ", ")))")
            }
            guard !parsed.contains(where: { $0.key == key }) else { throw TuningError("'\(key)' is given twice") }
            parsed.append((key, try SearchSpace.range(parts[1], key: key)))
        }
        guard !parsed.isEmpty else { throw TuningError("nothing to tune: give KEY=RANGE items, e.g. lr=1e-4..1e-2:log") }
        parameters = parsed
    }

    private static func range(_ text: String, key: String) throws -> Range {
        if text.contains("|") {
            let values = text.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard !values.contains("") else { throw TuningError("'\(key)=\(text)' has an empty choice") }
            if integerKeys.contains(key), let bad = values.first(where: { Int($0) == nil }) {
                throw TuningError("'\(key)' takes whole numbers, got '\(bad)'")
            }
            if !["optimizer", "schedule"].contains(key), let bad = values.first(where: { Double($0) == nil }) {
                throw TuningError("'\(key)' takes numbers, got '\(bad)'")
            }
            return .choice(values)
        }
        var body = Substring(text), kind = ""
        if let colon = text.lastIndex(of: ":") { (body, kind) = (text[..<colon], String(text[text.index(after: colon)...])) }
        let bounds = body.components(separatedBy: "..")
        guard bounds.count == 2, let low = Double(bounds[0]), let high = Double(bounds[1]), low.isFinite, high.isFinite else {
            throw TuningError("'\(key)=\(text)' is not a range: write LOW..HIGH[:log|:int] or A|B|C")
        }
        guard low < high else { throw TuningError("'\(key)=\(text)': the low bound must be below the high bound") }
        switch kind {
        case "log":
            guard low > 0 else { throw TuningError("'\(key)=\(text)': a log range needs positive bounds") }
            return .logUniform(low, high)
        case "int":
            return .integer(Int(low.rounded(.up)), Int(high.rounded(.down)))
        case "":
            return integerKeys.contains(key) ? .integer(Int(low.rounded(.up)), Int(high.rounded(.down))) : .uniform(low, high)
        default:
            throw TuningError("'\(key)=\(text)': unknown range kind ':\(kind)' (use :log or :int)")
        }
    }

    /// One draw of every parameter, as text values keyed like the input.
    public func sample(using generator: inout SeededGenerator) -> [String: String] {
        var values: [String: String] = [:]
        for (key, range) in parameters {
            let u = Double(generator.next() >> 11) * (1.0 / Double(1 << 53))
            switch range {
            case .logUniform(let a, let b): values[key] = SearchSpace.format(exp(log(a) + u * (log(b) - log(a))))
            case .uniform(let a, let b): values[key] = SearchSpace.format(a + u * (b - a))
            case .integer(let a, let b): values[key] = String(a + min(Int(u * Double(b - a + 1)), b - a))
            case .choice(let options): values[key] = options[min(Int(u * Double(options.count)), options.count - 1)]
            }
        }
        return values
    }

    /// A real value with four significant digits, as the trial tables show it.
    static func format(_ value: Double) -> String { String(format: "%.4g", value) }

    public static func == (a: SearchSpace, b: SearchSpace) -> Bool {
        a.parameters.map(\.key) == b.parameters.map(\.key) && a.parameters.map(\.range) == b.parameters.map(\.range)
    }
}

import Foundation
import HARKit
@testable import HARShell

/// A seeded source of hostile `har` input lines: random bytes (invalid UTF-8 decoded as the shell's line
/// reader decodes it), every command with missing, extra and wrong-typed arguments, every numeric key with
/// zero, negative, huge, `1e999`, `nan` and malformed values, very long lines, unbalanced quotes, and
/// byte-level mutations of valid commands.
struct FuzzInputGenerator {
    /// The kinds of input, for counting what was tried.
    enum Kind: String, CaseIterable {
        case randomBytes, wrongArguments, numericKeys, mutatedCommand, longLine, quoting
    }

    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    init(seed: UInt64) { state = seed }

    /// Values that break numeric parsing or ranges.
    static let hostileNumbers = [
        "0", "-0", "-1", "1", "2", "0.5", "-0.5", "1e999", "-1e999", "nan", "NaN", "-nan", "inf", "-inf", "infinity",
        "1e-320", "1e308", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
        "18446744073709551616", "99999999999999999999999999", "65536", "1e9", "0x10", "1_000", "1,5", "1..2", "3.", ".",
        "-", "+", "e", "1e", "１", "٣", "1/0", "",
    ]
    /// Words that are valid somewhere, so mutations reach deep into commands.
    static let validLines = CommandTable.all.flatMap(\.examples) + [
        "load synthetic window=32 overlap=0", "model sa width=4 depth=1", "model lstm hidden=4 layers=1",
        "model transformer hidden=8 heads=2 layers=1 patch=4", "model deepconvlstm width=2 depth=1 hidden=4 layers=1",
        "augment jitter=0.1, scale, rotate=15, crop=0.9, flip=0.5, timewarp=0.2, mixup=0.2", "set lr 1e-3",
        "tune lr=1e-4..1e-2:log, batch=64|128 trials=2 epochs=1", "cv folds=2 epochs=1", "train 1", "eval val",
        "inspect attention sample=0 layer=0", "inspect predictions 3", "history 3", "show lr", "reset model",
        "export csv fuzz-runs.csv", "plot history to fuzz.svg", "report to fuzz.html", "save model fuzz.ckpt",
        "load model fuzz.ckpt", "record fuzz-record.har", "record off", "history save fuzz-history.har", "run fuzz-history.har",
    ]
    /// Every `key=` word any form of any command takes (the specs in `CommandTable` declare them all).
    static let optionKeys = Array(Set(CommandTable.all.flatMap(\.optionKeys))).sorted()
    /// Every word a command accepts as a positional keyword, plus config keys.
    static let keywords = Array(Set(CommandTable.all.flatMap(\.keywords) + ConfigKey.all.map(\.name))).sorted()

    /// The next input and what kind it is.
    mutating func next() -> (kind: Kind, line: String) {
        // Long lines are slow to build and parse, so they are one input in a hundred.
        let others = Kind.allCases.filter { $0 != .longLine }
        let kind = Int(below: 100, using: &self) == 0 ? Kind.longLine : others[Int(below: others.count, using: &self)]
        switch kind {
        case .randomBytes: return (kind, randomBytes())
        case .wrongArguments: return (kind, wrongArguments())
        case .numericKeys: return (kind, numericKey())
        case .mutatedCommand: return (kind, mutated(pick(Self.validLines)))
        case .longLine: return (kind, longLine())
        case .quoting: return (kind, quoting())
        }
    }

    private mutating func randomBytes() -> String {
        let count = Int(below: 120, using: &self)
        var bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: nextWord()) }
        if !bytes.isEmpty, chance(0.5) { bytes.insert(contentsOf: Array(pick(Self.validLines).utf8), at: Int(below: bytes.count, using: &self)) }
        // The shell's line reader decodes bytes the same way: invalid sequences become U+FFFD.
        return String(decoding: bytes, as: UTF8.self)
    }

    private mutating func wrongArguments() -> String {
        let spec = pick(CommandTable.all)
        let word = chance(0.2) && !spec.aliases.isEmpty ? pick(spec.aliases) : spec.name
        let count = Int(below: 6, using: &self)
        return ([word] + (0..<count).map { _ in argument() }).joined(separator: " ")
    }

    private mutating func argument() -> String {
        switch Int(below: 7, using: &self) {
        case 0: return pick(Self.hostileNumbers)
        case 1: return pick(Self.keywords)
        case 2: return "\(pick(Self.optionKeys))=\(pick(Self.hostileNumbers))"
        case 3: return "\(pick(Self.optionKeys))=\(pick(Self.keywords))"
        case 4: return pick(Vocabulary.datasets + Vocabulary.models + Vocabulary.augmentations)
        case 5: return "\"\(pick(Self.keywords)) \(pick(Self.hostileNumbers))\""
        default: return pick(["to", "from", "=", "==", "k=", "=v", "a=b=c", ",", ";", "\\", "#", "~", "..", "../fuzz", "nonexistent/path"])
        }
    }

    private mutating func numericKey() -> String {
        let value = pick(Self.hostileNumbers)
        switch Int(below: 8, using: &self) {
        case 0, 1: return "set \(pick(ConfigKey.all).name) \(value)"
        case 2: return "model \(pick(Vocabulary.models)) \(pick(ModelSpec.optionKeys).key)=\(value)"
        case 3: return "load synthetic \(pick(DatasetOptions.validKeys))=\(value)"
        case 4: return "augment \(pick(Vocabulary.augmentations))=\(value)"
        case 5: return "tune \(pick(SearchSpace.configKeys))=\(value)..\(pick(Self.hostileNumbers)) trials=\(pick(Self.hostileNumbers)) epochs=\(pick(Self.hostileNumbers))"
        case 6: return pick(["cv folds=", "cv epochs=", "inspect attention sample=", "inspect attention layer=", "tune lr=1..2 trials="]) + value
        default: return "\(pick(["train", "history", "inspect predictions", "compare"])) \(value)"
        }
    }

    private mutating func mutated(_ line: String) -> String {
        var scalars = Array(line.unicodeScalars)
        let edits = 1 + Int(below: 4, using: &self)
        for _ in 0..<edits {
            let position = scalars.isEmpty ? 0 : Int(below: scalars.count + 1, using: &self)
            switch Int(below: 5, using: &self) {
            case 0 where !scalars.isEmpty && position < scalars.count: scalars.remove(at: position)
            case 1: scalars.insert(pick(Array("\"'=;#\\ ,.+-|:0123456789eE\u{0}\t\u{7f}\u{FFFD}é∞".unicodeScalars)), at: position)
            case 2 where position < scalars.count: scalars[position] = Unicode.Scalar(UInt8(truncatingIfNeeded: 32 + Int(below: 95, using: &self)))
            case 3: scalars.insert(contentsOf: Array(" \(argument())".unicodeScalars), at: position)
            default: scalars.insert(contentsOf: Array("; \(pick(Self.validLines))".unicodeScalars), at: scalars.count)
            }
        }
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars)
        return text
    }

    private mutating func longLine() -> String {
        let length = [1_000, 10_000, 100_000][Int(below: 3, using: &self)]
        switch Int(below: 4, using: &self) {
        case 0: return "set lr " + String(repeating: "9", count: length)
        case 1: return "load synthetic " + String(repeating: "window=1 ", count: length / 9)
        case 2: return String(repeating: "show lr; ", count: min(length, 2_000) / 9)
        default: return "model " + String(repeating: "sa+", count: length / 3) + "lstm"
        }
    }

    private mutating func quoting() -> String {
        let spec = pick(CommandTable.all)
        let fragments = ["\"", "\"unterminated", "'", "\"a b\"", "\"\"", "\\\"", "\"\\", "x\"y", "\"\\\n\"", "`ls`", "$(echo hi)"]
        return ([spec.name] + (0..<(1 + Int(below: 3, using: &self))).map { _ in pick(fragments) }).joined(separator: " ")
    }

    private mutating func pick<T>(_ items: [T]) -> T { items[Int(below: items.count, using: &self)] }

    private mutating func chance(_ p: Double) -> Bool { Double(nextWord() >> 11) / Double(1 << 53) < p }

    /// SplitMix64.
    mutating func nextWord() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private extension Int {
    /// A uniform integer in `0..<bound` from the generator.
    init(below bound: Int, using generator: inout FuzzInputGenerator) {
        self = Int(generator.nextWord() % UInt64(bound))
    }
}

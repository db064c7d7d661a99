import Foundation

/// One cell of a runs table: text, a whole number, a real number shown with a given precision, a fraction shown as a
/// percentage, or nothing.
public enum TableValue: Sendable, Equatable {
    /// Text, left-aligned.
    case text(String)
    /// A whole number, right-aligned.
    case integer(Int64)
    /// A real number shown with `digits` decimals (or in shortest form when `digits` is nil), right-aligned.
    case number(Double, digits: Int?)
    /// A fraction (an accuracy) that people read as a percentage with 2 decimals (`86.67%`); machines get the fraction.
    case percentage(Double)
    /// No value (not measured, not evaluated).
    case missing

    /// Whether the cell holds a number (right-aligned in text and Markdown).
    public var isNumeric: Bool {
        switch self {
        case .integer, .number, .percentage: return true
        case .text, .missing: return false
        }
    }

    /// The value as people read it: rounded numbers, percentages, "–" for nothing.
    public var display: String {
        switch self {
        case .text(let text): return text
        case .integer(let value): return String(value)
        case .number(let value, let digits):
            guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
            if let digits { return String(format: "%.\(digits)f", value) }
            return String(format: "%g", value)
        case .percentage(let fraction):
            // Rounded half away from zero in hundredths of a percent first, so a tie (1/32 = 3.125%) reads 3.13% here
            // and wherever else the shell prints an accuracy (it prints this display).
            guard fraction.isFinite else { return TableValue.number(fraction, digits: nil).display }
            return String(format: "%.2f%%", (fraction * 10_000).rounded() / 100)
        case .missing: return "–"
        }
    }

    /// The value for machines: full precision, empty for nothing.
    var exact: String {
        switch self {
        case .text(let text): return text
        case .integer(let value): return String(value)
        case .number(let value, _), .percentage(let value):
            return value.isFinite ? "\(value)" : (value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf"))
        case .missing: return ""
        }
    }

    /// The value as a JSON fragment (non-finite numbers as strings, nothing as null).
    var json: String {
        switch self {
        case .text(let text): return TableValue.jsonString(text)
        case .integer(let value): return String(value)
        case .number(let value, _), .percentage(let value): return value.isFinite ? "\(value)" : "\"\(exact)\""
        case .missing: return "null"
        }
    }

    /// `text` as a JSON string literal (quotes, backslashes and control characters escaped).
    public static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

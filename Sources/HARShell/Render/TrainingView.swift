import Foundation
import HARKit

/// How `train` shows its epochs: a header, one aligned line per epoch (`TrainCommand.Epoch`), a summary; and the
/// number formats the shell's text uses.
public enum TrainingView {
    /// The column header printed before the first epoch line. Every number is `fitted` to its column (a loss of
    /// 3067.6279 shows as `3067.63`, a diverging one in scientific notation), so the columns line up for any magnitude
    /// (epochs up to 99,999).
    public static let header = "epoch    loss  train acc  val acc  val F1        lr     sec"

    /// One epoch as a line under `header`; `—` where there is no validation split. Each value is fitted to its
    /// column with at least one space before it.
    public static func line(_ record: EpochRecord) -> String {
        func cell(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(1, width - text.count)) + text }
        func number(_ value: Double, _ width: Int, _ decimals: Int) -> String { cell(fitted(value, width: width - 1, decimals: decimals), width) }
        func percent(_ value: Double?) -> String { value.map { fixed($0 * 100, 1) + "%" } ?? "—" }
        return cell(String(record.epoch), 5) + number(record.trainLoss, 8, 4) + cell(percent(record.trainAccuracy), 11)
            + cell(percent(record.validationAccuracy), 9) + cell(record.validationMacroF1.map { fixed($0, 3) } ?? "—", 8)
            + cell(scientific(record.learningRate), 10) + number(record.seconds, 8, 1)
    }

    /// `value` in at most `width` characters: `fixed` with as many of `decimals` as fit, else in scientific notation
    /// (one decimal, then none), so a column keeps its alignment for any magnitude.
    static func fitted(_ value: Double, width: Int, decimals: Int) -> String {
        for digits in stride(from: decimals, through: 0, by: -1) where fixed(value, digits).count <= width {
            return fixed(value, digits)
        }
        let short = scientific(value)
        return short.count <= width ? short : scientific(value, decimals: 0)
    }

    /// The line that ends a `train`: why it stopped, over how many epochs.
    public static func summary(_ outcome: TrainingOutcome) -> String {
        let count = outcome.records.count
        let total = outcome.records.reduce(0) { $0 + $1.seconds }
        return "\(counted(count, "epoch")) in \(fixed(total, 1)) s: \(outcome.reason)"
    }

    /// The words `stopped` takes in the final result.
    public static func stopWord(_ reason: StopReason) -> String {
        switch reason {
        case .completed: return "completed"
        case .earlyStopped: return "early_stopping"
        case .cancelled: return "interrupted"
        case .diverged: return "diverged"
        }
    }

    /// `value` with `digits` decimals (0 to 9); magnitudes of a million and more in `scientific` notation instead,
    /// so a diverging but finite loss stays a short cell (and never overflows the integer parts below).
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        guard abs(value) < 1e6 else { return scientific(value) }
        let digits = min(max(digits, 0), 9)
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (abs(value) * scale).rounded()  // below 1e15: exact in a Double and in an Int
        let whole = Int(rounded / scale)
        let fraction = Int(rounded.truncatingRemainder(dividingBy: scale))
        let sign = value < 0 && rounded > 0 ? "-" : ""
        guard digits > 0 else { return sign + String(whole) }
        let fractionText = String(fraction)
        return sign + "\(whole)." + String(repeating: "0", count: digits - fractionText.count) + fractionText
    }

    /// `value` as `5.0e-04` (`decimals` in the mantissa: 1 unless asked otherwise).
    static func scientific(_ value: Double, decimals: Int = 1) -> String {
        guard value.isFinite, value != 0 else { return value == 0 ? "0" : "\(value)" }
        var exponent = Int(log10(abs(value)).rounded(.down))
        var mantissa = value / pow10(exponent)
        if abs(mantissa) >= 10 - 0.5 * pow10(-decimals) { mantissa /= 10; exponent += 1 }
        let sign = exponent < 0 ? "-" : "+"
        let digits = String(abs(exponent))
        return fixed(mantissa, decimals) + "e" + sign + (digits.count < 2 ? "0" : "") + digits
    }

    private static func pow10(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<abs(exponent) { result *= 10 }
        return exponent < 0 ? 1 / result : result
    }
}

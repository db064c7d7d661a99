/// A one-line progress bar with counts, elapsed time and ETA: `epoch 3/30 [#######.......]  41/128  0:12 eta 0:25`.
public enum ProgressBar {
    /// The bar for `progress`, `width` characters of bar between the brackets.
    public static func render(_ progress: Progress, width: Int = 30) -> String {
        let filled = Int((progress.fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        var line = "\(progress.label) [\(bar)] \(progress.done)/\(progress.total)  \(clock(progress.elapsed))"
        if let remaining = progress.remaining { line += " eta \(clock(remaining))" }
        return line
    }

    /// Seconds as `m:ss`, or `h:mm:ss` from an hour on.
    public static func clock(_ seconds: Double) -> String {
        let total = Int(max(0, seconds).rounded())
        let (h, m, s) = (total / 3600, total / 60 % 60, total % 60)
        let mm = h > 0 && m < 10 ? "0\(m)" : "\(m)"
        let ss = s < 10 ? "0\(s)" : "\(s)"
        return h > 0 ? "\(h):\(mm):\(ss)" : "\(mm):\(ss)"
    }
}

import HARKit

/// The live line `stream` redraws on a terminal: the last predictions' smoothed labels as a strip of coloured cells
/// (letters without colour), then the current label, its confidence, the raw prediction when it differs, and the time.
enum StreamBar {
    /// 256-colour backgrounds for classes 0, 1, …, told apart at a glance (cycled past the last).
    static let palette = [31, 166, 70, 135, 178, 37, 161, 100, 208, 62, 28, 125, 172, 24, 94, 53, 142, 203, 67]

    /// The line for `history` (smoothed labels, oldest first) ending in `prediction`, at most `width` columns.
    static func render(history: [Int], prediction: StreamPrediction, style: Style, width: Int?) -> String {
        let percent = Int((prediction.confidence * 100).rounded())
        var tail = " \(style.bold(prediction.smoothedName)) \(percent)%"
        if prediction.activity != prediction.smoothed { tail += style.dim(" (now \(prediction.activityName))") }
        tail += style.dim("  \(TrainingView.fixed(prediction.time, 1)) s")
        let visibleTail = 1 + prediction.smoothedName.count + 1 + String(percent).count + 1
            + (prediction.activity != prediction.smoothed ? 7 + prediction.activityName.count : 0) + 4 + TrainingView.fixed(prediction.time, 1).count
        let cells = max(0, min(history.count, (width ?? 80) - visibleTail - 1))
        return history.suffix(cells).map { cell($0, style: style) }.joined() + tail
    }

    /// One class as a cell: a coloured space, or its letter (`A` for class 0) without colour.
    static func cell(_ label: Int, style: Style) -> String {
        style.colour ? style.background(" ", palette[label % palette.count]) : letter(label)
    }

    /// `A`, `B`, … `Z`, then `a`…`z`, then `?`: a class's letter in the strip without colour.
    static func letter(_ label: Int) -> String {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        return label < letters.count ? String(letters[label]) : "?"
    }
}

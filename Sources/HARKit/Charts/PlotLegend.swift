/// A legend of line samples and names, flowing left to right and wrapping into rows.
struct PlotLegend {
    /// One legend entry.
    struct Entry {
        /// How the entry's sample is drawn.
        enum Sample { case line, dashedLine, dot, hollowDot }
        var name: String
        var color: String
        var sample = Sample.line
    }

    var entries: [Entry]

    /// An estimate of a text's width in pixels at `size` (DejaVu Sans averages ~0.6 em per character).
    static func textWidth(_ text: String, size: Double = 12) -> Double { Double(text.count) * size * 0.6 }

    /// The rows the entries take in `width` pixels.
    func rows(width: Double) -> Int {
        var rows = 1, x = 0.0
        for entry in entries {
            let w = 40 + PlotLegend.textWidth(entry.name) + 24
            if x > 0, x + w > width { rows += 1; x = 0 }
            x += w
        }
        return entries.isEmpty ? 0 : rows
    }

    /// The height the legend needs in `width` pixels.
    func height(width: Double) -> Double { Double(rows(width: width)) * 22 + (entries.isEmpty ? 0 : 8) }

    /// Draws the entries into `frame`.
    func draw(into canvas: inout SVGCanvas, frame: SVGCanvas.Frame) {
        var x = frame.x, y = frame.y + 14
        for entry in entries {
            let w = 40 + PlotLegend.textWidth(entry.name) + 24
            if x > frame.x, x + w > frame.right { x = frame.x; y += 22 }
            switch entry.sample {
            case .line, .dashedLine:
                canvas.line(from: (x, y - 4), to: (x + 32, y - 4), color: entry.color, width: 2.5, dashed: entry.sample == .dashedLine)
            case .dot, .hollowDot:
                canvas.circle(at: (x + 16, y - 4), radius: 6, color: entry.color, filled: entry.sample == .dot)
            }
            canvas.text(entry.name, at: (x + 40, y), size: 12)
            x += w
        }
    }
}

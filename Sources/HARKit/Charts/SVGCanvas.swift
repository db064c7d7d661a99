import Foundation

/// Collects SVG elements and writes a self-contained SVG document (no scripts, fonts, images or ids), so plots
/// open in any browser and many can be inlined in one HTML page.
struct SVGCanvas {
    /// A rectangle in canvas coordinates (y grows downwards).
    struct Frame {
        var x: Double, y: Double, width: Double, height: Double
        var right: Double { x + width }
        var bottom: Double { y + height }
    }

    /// How text is anchored horizontally at its position.
    enum Anchor: String { case start, middle, end }

    let width: Double
    let height: Double
    private var elements: [String] = []

    /// An empty canvas of `width` × `height` pixels.
    init(width: Double, height: Double) { (self.width, self.height) = (width, height) }

    /// Adds a filled (and optionally outlined, or see-through) rectangle with an optional hover title.
    mutating func rectangle(_ frame: Frame, fill: String, stroke: String? = nil, opacity: Double = 1, title: String? = nil) {
        let outline = (stroke.map { " stroke=\"\($0)\" stroke-width=\"1\"" } ?? "") + (opacity < 1 ? " fill-opacity=\"\(f(opacity))\"" : "")
        let body = title.map { "<title>\(SVGCanvas.escape($0))</title>" } ?? ""
        elements.append("<rect x=\"\(f(frame.x))\" y=\"\(f(frame.y))\" width=\"\(f(frame.width))\" height=\"\(f(frame.height))\" fill=\"\(fill)\"\(outline)>\(body)</rect>")
    }

    /// Adds a straight line.
    mutating func line(from a: (Double, Double), to b: (Double, Double), color: String, width: Double = 1, dashed: Bool = false) {
        let dash = dashed ? " stroke-dasharray=\"6 4\"" : ""
        elements.append("<line x1=\"\(f(a.0))\" y1=\"\(f(a.1))\" x2=\"\(f(b.0))\" y2=\"\(f(b.1))\" stroke=\"\(color)\" stroke-width=\"\(f(width))\"\(dash)/>")
    }

    /// Adds a polyline through `points`.
    mutating func polyline(_ points: [(Double, Double)], color: String, width: Double = 2, dashed: Bool = false) {
        guard !points.isEmpty else { return }
        let dash = dashed ? " stroke-dasharray=\"6 4\"" : ""
        let coordinates = points.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " ")
        elements.append("<polyline points=\"\(coordinates)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(f(width))\" stroke-linejoin=\"round\"\(dash)/>")
    }

    /// Adds a circle, filled, hollow (white inside) or a ring (see-through), with an optional hover title.
    mutating func circle(at center: (Double, Double), radius: Double, color: String, filled: Bool = true, ring: Bool = false, title: String? = nil) {
        let paint = filled ? "fill=\"\(color)\"" : "fill=\"\(ring ? "none" : "white")\" stroke=\"\(color)\" stroke-width=\"2\""
        let body = title.map { "<title>\(SVGCanvas.escape($0))</title>" } ?? ""
        elements.append("<circle cx=\"\(f(center.0))\" cy=\"\(f(center.1))\" r=\"\(f(radius))\" \(paint)>\(body)</circle>")
    }

    /// Adds text at `position` (its baseline), optionally rotated about that point.
    mutating func text(_ content: String, at position: (Double, Double), size: Double = 12, anchor: Anchor = .start,
                       color: String = "#222", bold: Bool = false, rotation: Double = 0, opacity: Double = 1) {
        let weight = (bold ? " font-weight=\"bold\"" : "") + (opacity < 1 ? " opacity=\"\(f(opacity))\"" : "")
        let turn = rotation == 0 ? "" : " transform=\"rotate(\(f(rotation)) \(f(position.0)) \(f(position.1)))\""
        elements.append("<text x=\"\(f(position.0))\" y=\"\(f(position.1))\" font-size=\"\(f(size))\" text-anchor=\"\(anchor.rawValue)\" fill=\"\(color)\"\(weight)\(turn)>\(SVGCanvas.escape(content))</text>")
    }

    /// The SVG document.
    var document: String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" viewBox="0 0 \(f(width)) \(f(height))" \
        font-family="DejaVu Sans, Helvetica, Arial, sans-serif">
        <rect x="0" y="0" width="\(f(width))" height="\(f(height))" fill="white"/>
        \(elements.joined(separator: "\n"))
        </svg>

        """
    }

    /// `text` with XML's special characters escaped.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A coordinate with at most two decimals.
    private func f(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

import Foundation

/// One line of a chart: points in data coordinates, a colour and a dash style.
struct LineSeries {
    /// What the line shows, for the legend.
    var name: String
    /// Points in data coordinates (non-finite ones are left out, breaking nothing).
    var points: [(x: Double, y: Double)]
    /// The series colour.
    var color: String
    /// Dashed (validation figures) or solid.
    var dashed = false
}

/// Draws a line chart with axes, grid, ticks, axis labels and a title into a frame of a canvas.
struct SVGLineChart {
    var title: String
    var xLabel: String
    var yLabel: String
    var series: [LineSeries]
    /// Values the y axis must include (e.g. 0 for seconds).
    var yIncludes: [Double] = []
    /// Whether x values are whole numbers (epochs, trials): ticks then fall on integers.
    var integerX = true

    /// Draws the chart into `frame` of `canvas`; the axes also cover `extraPoints`, which `overlay` draws
    /// itself with the chart's x and y scales (for markers rather than lines).
    func draw(into canvas: inout SVGCanvas, frame: SVGCanvas.Frame, extraPoints: [(x: Double, y: Double)] = [],
              overlay: ((inout SVGCanvas, PlotScale, PlotScale) -> Void)? = nil) {
        let plot = SVGCanvas.Frame(x: frame.x + 64, y: frame.y + 34, width: frame.width - 80, height: frame.height - 34 - 52)
        canvas.text(title, at: (frame.x + frame.width / 2, frame.y + 20), size: 15, anchor: .middle, bold: true)
        let all = series.flatMap(\.points) + extraPoints
        let xs = all.map(\.x).filter(\.isFinite), ys = all.map(\.y).filter(\.isFinite)
        guard !xs.isEmpty, !ys.isEmpty else {
            canvas.rectangle(plot, fill: "#fafafa", stroke: "#999")
            canvas.text("no data", at: (plot.x + plot.width / 2, plot.y + plot.height / 2), size: 13, anchor: .middle, color: "#777")
            return
        }
        var xScale = PlotScale(covering: xs, from: plot.x, to: plot.right, tickCount: min(8, max(2, Set(xs).count)))
        if integerX, xScale.step < 1 { xScale = PlotScale(covering: xs + [xs.max()! + 1], from: plot.x, to: plot.right, tickCount: 2) }
        let yScale = PlotScale(covering: ys, including: yIncludes, from: plot.bottom, to: plot.y, tickCount: 6)

        canvas.rectangle(plot, fill: "white", stroke: "#999")
        for tick in yScale.ticks {
            let y = yScale.position(tick)
            canvas.line(from: (plot.x, y), to: (plot.right, y), color: "#e6e6e6")
            canvas.line(from: (plot.x - 5, y), to: (plot.x, y), color: "#555")
            canvas.text(yScale.label(tick), at: (plot.x - 8, y + 4), size: 12, anchor: .end)
        }
        for tick in xScale.ticks where !integerX || tick == tick.rounded() {
            let x = xScale.position(tick)
            canvas.line(from: (x, plot.bottom), to: (x, plot.bottom + 5), color: "#555")
            canvas.text(integerX ? String(Int(tick)) : xScale.label(tick), at: (x, plot.bottom + 19), size: 12, anchor: .middle)
        }
        canvas.text(xLabel, at: (plot.x + plot.width / 2, plot.bottom + 40), size: 13, anchor: .middle)
        canvas.text(yLabel, at: (frame.x + 16, plot.y + plot.height / 2), size: 13, anchor: .middle, rotation: -90)

        for line in series {
            let finite = line.points.filter { $0.x.isFinite && $0.y.isFinite }
            let points = finite.map { (xScale.position($0.x), yScale.position($0.y)) }
            canvas.polyline(points, color: line.color, dashed: line.dashed)
            guard points.count <= 40 else { continue }
            for (point, value) in zip(points, finite) {
                canvas.circle(at: point, radius: 3, color: line.color, filled: !line.dashed,
                              title: "\(line.name): \(xLabel) \(String(format: "%g", value.x)), \(yLabel) \(String(format: "%.4g", value.y))")
            }
        }
        overlay?(&canvas, xScale, yScale)
    }
}

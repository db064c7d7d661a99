import Foundation

/// Draws a grid of coloured cells (viridis) with row and column labels, optional numbers in the cells, and a colour bar.
struct SVGHeatMap {
    var title: String
    /// Colour intensities in 0…1, rows × columns.
    var intensities: [[Double]]
    /// Text shown in each cell when cells are large enough (e.g. counts).
    var cellText: [[String]]?
    /// Hover text per cell.
    var cellTitles: [[String]]?
    var rowLabels: [String]
    var columnLabels: [String]
    var rowAxis: String
    var columnAxis: String
    /// What the colours mean and the values at 0 and 1.
    var scaleCaption: String
    var scaleLow: String
    var scaleHigh: String
    /// Cell text shown faintly (e.g. zero counts), so the others stand out.
    var faintText: Set<String> = []

    /// Pixels the row labels need.
    var rowLabelWidth: Double { min(220, (rowLabels.map { PlotLegend.textWidth($0) }.max() ?? 0) + 12) }
    /// Pixels the column labels need (they are turned 45°).
    var columnLabelHeight: Double { min(180, (columnLabels.map { PlotLegend.textWidth($0) }.max() ?? 0) * 0.5 + 24) }

    /// The frame size that gives cells of `cell` × `cellHeight` pixels.
    func size(cell: Double, cellHeight: Double? = nil) -> (width: Double, height: Double) {
        let columns = Double(columnLabels.count), rows = Double(rowLabels.count)
        return (24 + rowLabelWidth + columns * cell + 110, 40 + rows * (cellHeight ?? cell) + columnLabelHeight + 30)
    }

    /// Draws the map into `frame`.
    func draw(into canvas: inout SVGCanvas, frame: SVGCanvas.Frame) {
        let rows = rowLabels.count, columns = columnLabels.count
        canvas.text(title, at: (frame.x + frame.width / 2, frame.y + 20), size: 15, anchor: .middle, bold: true)
        guard rows > 0, columns > 0 else { return }
        let grid = SVGCanvas.Frame(x: frame.x + 24 + rowLabelWidth, y: frame.y + 40,
                                   width: frame.width - 24 - rowLabelWidth - 110, height: frame.height - 40 - columnLabelHeight - 30)
        let cellWidth = grid.width / Double(columns), cellHeight = grid.height / Double(rows)
        let showText = cellText != nil && cellWidth >= 24 && cellHeight >= 16
        for r in 0..<rows {
            for c in 0..<columns {
                let value = intensities[r][c]
                let cell = SVGCanvas.Frame(x: grid.x + Double(c) * cellWidth, y: grid.y + Double(r) * cellHeight, width: cellWidth, height: cellHeight)
                canvas.rectangle(cell, fill: PlotPalette.heat(value), title: cellTitles?[r][c])
                if showText, let text = cellText?[r][c] {
                    canvas.text(text, at: (cell.x + cellWidth / 2, cell.y + cellHeight / 2 + 4), size: min(12, cellHeight * 0.6),
                                anchor: .middle, color: PlotPalette.needsLightText(value) ? "white" : "black",
                                opacity: faintText.contains(text) ? 0.4 : 1)
                }
            }
        }
        canvas.rectangle(grid, fill: "none", stroke: "#555")
        let rowEvery = max(1, Int((11 / cellHeight).rounded(.up))), columnEvery = max(1, Int((13 / cellWidth).rounded(.up)))
        for r in stride(from: 0, to: rows, by: rowEvery) {
            canvas.text(rowLabels[r], at: (grid.x - 6, grid.y + (Double(r) + 0.5) * cellHeight + 4), size: min(12, max(9, cellHeight * 0.8)), anchor: .end)
        }
        for c in stride(from: 0, to: columns, by: columnEvery) {
            let x = grid.x + (Double(c) + 0.5) * cellWidth
            canvas.text(columnLabels[c], at: (x + 4, grid.bottom + 12), size: 12, anchor: .end, rotation: -45)
        }
        canvas.text(rowAxis, at: (frame.x + 14, grid.y + grid.height / 2), size: 13, anchor: .middle, rotation: -90)
        canvas.text(columnAxis, at: (grid.x + grid.width / 2, frame.bottom - 8), size: 13, anchor: .middle)
        drawScale(into: &canvas, frame: SVGCanvas.Frame(x: grid.right + 24, y: grid.y, width: 16, height: min(grid.height, 240)))
    }

    private func drawScale(into canvas: inout SVGCanvas, frame: SVGCanvas.Frame) {
        let steps = 40
        for i in 0..<steps {
            let value = 1 - (Double(i) + 0.5) / Double(steps)
            canvas.rectangle(SVGCanvas.Frame(x: frame.x, y: frame.y + Double(i) * frame.height / Double(steps), width: frame.width,
                                             height: frame.height / Double(steps) + 0.5), fill: PlotPalette.heat(value))
        }
        canvas.rectangle(frame, fill: "none", stroke: "#555")
        canvas.text(scaleHigh, at: (frame.right + 5, frame.y + 10), size: 11)
        canvas.text(scaleLow, at: (frame.right + 5, frame.bottom), size: 11)
        canvas.text(scaleCaption, at: (frame.right + 34, frame.y + frame.height / 2), size: 11, anchor: .middle, rotation: 90)
    }
}

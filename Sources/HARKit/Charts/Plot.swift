import Foundation

/// Self-contained SVG plots of runs: training curves, epoch times, confusion matrices, attention maps, tuning trials.
public enum Plot {
    /// Training loss and accuracy per epoch, side by side, for one or several runs overlaid
    /// (training solid, validation dashed; one colour per run).
    public static func trainingHistory(_ runs: [PlotRun]) -> String {
        let width = 1000.0, panelHeight = 360.0
        let legend = PlotLegend(entries: runs.enumerated().map { PlotLegend.Entry(name: $0.element.name, color: PlotPalette.series($0.offset)) }
                                + [PlotLegend.Entry(name: "training", color: "#444"), PlotLegend.Entry(name: "validation", color: "#444", sample: .dashedLine)])
        let legendHeight = legend.height(width: width - 80)
        var canvas = SVGCanvas(width: width, height: panelHeight + legendHeight + 10)
        func series(_ value: (EpochRecord) -> Double?, dashed: Bool) -> [LineSeries] {
            runs.enumerated().compactMap { index, run in
                let points = run.epochs.compactMap { epoch in value(epoch).map { (x: Double(epoch.epoch), y: $0) } }
                return points.isEmpty ? nil : LineSeries(name: run.name + (dashed ? " validation" : " training"), points: points,
                                                         color: PlotPalette.series(index), dashed: dashed)
            }
        }
        let loss = SVGLineChart(title: "Loss per epoch", xLabel: "epoch", yLabel: "cross-entropy loss",
                             series: series({ $0.trainLoss }, dashed: false) + series({ $0.validationLoss }, dashed: true), yIncludes: [0])
        let accuracy = SVGLineChart(title: "Accuracy per epoch", xLabel: "epoch", yLabel: "accuracy",
                                 series: series({ $0.trainAccuracy }, dashed: false) + series({ $0.validationAccuracy }, dashed: true))
        loss.draw(into: &canvas, frame: SVGCanvas.Frame(x: 0, y: 0, width: width / 2, height: panelHeight))
        accuracy.draw(into: &canvas, frame: SVGCanvas.Frame(x: width / 2, y: 0, width: width / 2, height: panelHeight))
        legend.draw(into: &canvas, frame: SVGCanvas.Frame(x: 64, y: panelHeight, width: width - 80, height: legendHeight))
        return canvas.document
    }

    /// Wall-clock seconds of each epoch, one line per run.
    public static func epochTimes(_ runs: [PlotRun]) -> String {
        let width = 640.0, chartHeight = 340.0
        let legend = PlotLegend(entries: runs.enumerated().map { PlotLegend.Entry(name: $0.element.name, color: PlotPalette.series($0.offset)) })
        let legendHeight = legend.height(width: width - 80)
        var canvas = SVGCanvas(width: width, height: chartHeight + legendHeight + 10)
        let chart = SVGLineChart(title: "Time per epoch", xLabel: "epoch", yLabel: "seconds",
                              series: runs.enumerated().map { index, run in
                                  LineSeries(name: run.name, points: run.epochs.map { (x: Double($0.epoch), y: $0.seconds) }, color: PlotPalette.series(index))
                              }, yIncludes: [0])
        chart.draw(into: &canvas, frame: SVGCanvas.Frame(x: 0, y: 0, width: width, height: chartHeight))
        legend.draw(into: &canvas, frame: SVGCanvas.Frame(x: 64, y: chartHeight, width: width - 80, height: legendHeight))
        return canvas.document
    }

    /// A confusion matrix as a heat map: counts in the cells, colour by the share of each true class (row-normalised).
    public static func confusion(_ matrix: ConfusionMatrix, classNames: [String], title: String = "Confusion matrix") -> String {
        let names = (0..<matrix.classes).map { $0 < classNames.count ? classNames[$0] : "class \($0)" }
        let shares = matrix.rowNormalized
        let map = SVGHeatMap(title: title, intensities: shares, cellText: matrix.counts.map { $0.map(String.init) },
                          cellTitles: matrix.counts.indices.map { t in matrix.counts[t].indices.map { p in
                              "true \(names[t]), predicted \(names[p]): \(matrix.counts[t][p]) (\(String(format: "%.1f", shares[t][p] * 100))% of \(names[t]))"
                          } },
                          rowLabels: names, columnLabels: names, rowAxis: "true class", columnAxis: "predicted class",
                          scaleCaption: "share of the true class", scaleLow: "0%", scaleHigh: "100%", faintText: ["0"])
        let cell = max(26, min(52, 620 / Double(max(matrix.classes, 1))))
        let size = map.size(cell: cell)
        var canvas = SVGCanvas(width: size.width, height: size.height)
        map.draw(into: &canvas, frame: SVGCanvas.Frame(x: 0, y: 0, width: size.width, height: size.height))
        return canvas.document
    }

    /// A spatial attention map: channels (named) down, time steps across, colour by weight scaled to the map's range.
    /// - Parameter map: `T′ × C` weights (one window, or a class average).
    public static func attention(_ map: [[Double]], channelNames: [String], title: String = "Spatial attention") -> String {
        let steps = map.count, channels = map.first?.count ?? 0
        let values = map.flatMap { $0 }.filter(\.isFinite)
        let low = values.min() ?? 0, high = values.max() ?? 1
        let span = high > low ? high - low : 1
        let names = (0..<channels).map { $0 < channelNames.count ? channelNames[$0] : "ch \($0)" }
        let intensities = (0..<channels).map { c in (0..<steps).map { t in (map[t][c] - low) / span } }
        let heat = SVGHeatMap(title: title, intensities: intensities, cellText: nil,
                           cellTitles: (0..<channels).map { c in (0..<steps).map { t in "\(names[c]), step \(t): \(String(format: "%.4f", map[t][c]))" } },
                           rowLabels: names, columnLabels: (0..<steps).map { String($0) }, rowAxis: "channel", columnAxis: "time step (after pooling)",
                           scaleCaption: "attention weight", scaleLow: String(format: "%.3g", low), scaleHigh: String(format: "%.3g", high))
        let cell = max(4, min(24, 760 / Double(max(steps, 1))))
        let rowHeight = max(6, min(24, 560 / Double(max(channels, 1))))
        let size = heat.size(cell: cell, cellHeight: rowHeight)
        var canvas = SVGCanvas(width: max(size.width, 420), height: size.height)
        heat.draw(into: &canvas, frame: SVGCanvas.Frame(x: 0, y: 0, width: size.width, height: size.height))
        return canvas.document
    }

    /// Each tuning trial's validation score (pruned trials hollow, the best one labelled).
    public static func tuningTrials(_ trials: [TrialScore], metric: String = "validation macro F1") -> String {
        let width = 720.0, height = 380.0
        var canvas = SVGCanvas(width: width, height: height + 30)
        let chart = SVGLineChart(title: "Tuning trials", xLabel: "trial", yLabel: metric, series: [])
        var frame = SVGCanvas.Frame(x: 0, y: 0, width: width, height: height)
        let scores = trials.map(\.score).filter(\.isFinite)
        let headroom = ((scores.max() ?? 1) - (scores.min() ?? 0)) * 0.12
        let lastTrial = Double(trials.map(\.trial).max() ?? 1)
        let points: [(x: Double, y: Double)] = trials.map { (x: Double($0.trial), y: $0.score) }
            + [(x: 0, y: (scores.max() ?? 1) + headroom), (x: lastTrial + 1, y: scores.min() ?? 0)]
        chart.draw(into: &canvas, frame: frame, extraPoints: points) { canvas, xScale, yScale in
            let best = trials.filter { $0.score.isFinite }.max { $0.score < $1.score }
            for trial in trials where trial.score.isFinite {
                let point = (xScale.position(Double(trial.trial)), yScale.position(trial.score))
                canvas.circle(at: point, radius: 6, color: trial.pruned ? "#7f7f7f" : PlotPalette.series(0), filled: !trial.pruned,
                              title: "trial \(trial.trial): \(String(format: "%.4f", trial.score)) after \(trial.epochs) epochs\(trial.pruned ? " (pruned)" : ""); \(trial.settings)")
                if trial == best {
                    canvas.circle(at: point, radius: 10, color: PlotPalette.series(3), filled: false, ring: true)
                    canvas.text("best: \(String(format: "%.4f", trial.score))", at: (point.0 + 14, point.1 - 10), size: 12, color: PlotPalette.series(3), bold: true)
                }
            }
        }
        frame = SVGCanvas.Frame(x: 64, y: height, width: width - 80, height: 30)
        PlotLegend(entries: [PlotLegend.Entry(name: "trained to the end", color: PlotPalette.series(0), sample: .dot),
                             PlotLegend.Entry(name: "pruned by successive halving", color: "#7f7f7f", sample: .hollowDot)]).draw(into: &canvas, frame: frame)
        return canvas.document
    }

    /// The file formats `write(_:to:)` chooses from by the file's extension.
    public static let fileExtensions = ["svg", "png"]

    /// Writes an SVG document atomically: as SVG text, or rasterised to PNG (by librsvg's `rsvg-convert`) when
    /// `url` ends in `.png`.
    /// - Parameter environment: where `rsvg-convert` is looked for (`PATH`).
    /// - Throws: `ReportError` naming the path when it cannot be written, when the extension is neither `.svg`
    ///   nor `.png`, or when `rsvg-convert` is missing or fails.
    public static func write(_ svg: String, to url: URL,
                             environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        switch url.pathExtension.lowercased() {
        case "svg":
            try OutputFile.write(Data(svg.utf8), to: url, what: "plot")
        case "png":
            try OutputFile.write(try SVGRasterizer.png(svg, environment: environment), to: url, what: "plot")
        default:
            throw ReportError("plots are written as SVG or PNG: name the file FILE.svg or FILE.png")
        }
    }
}

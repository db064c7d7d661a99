import Foundation

extension Plot {
    /// A replay's activity timeline: the true activity and the predicted (shown) activity as coloured bands over
    /// time, the predicted band's opacity following the model's confidence, a strip marking where they disagree,
    /// and the confidence of each prediction as a line below; one colour per class, named in the legend.
    public static func timeline(_ timeline: ActivityTimeline, title: String = "Activity timeline") -> String {
        let width = 1000.0, bandTop = 40.0, bandHeight = 28.0, gap = 8.0, confidenceHeight = 220.0
        let present = Set(timeline.truth + timeline.predictions.map(\.smoothedLabel)).sorted()
        let legend = PlotLegend(entries: present.map { PlotLegend.Entry(name: className($0, in: timeline), color: PlotPalette.series($0)) }
                                + [PlotLegend.Entry(name: "disagreement", color: disagreementColor)])
        let legendHeight = legend.height(width: width - 110)
        let bandsBottom = bandTop + 3 * bandHeight + 2 * gap
        var canvas = SVGCanvas(width: width, height: bandsBottom + confidenceHeight + legendHeight + 10)
        canvas.text(title, at: (width / 2, 22), size: 15, anchor: .middle, bold: true)
        let seconds = max(timeline.duration, 1 / timeline.sampleRate)
        // The bands share the confidence chart's time axis (its plot area starts 64 pixels into its frame).
        let labelRoom = 30.0, left = labelRoom + 64, right = width - 16
        let scale = PlotScale(covering: [0, seconds], from: left, to: right, tickCount: 8)
        func x(_ sample: Int) -> Double { scale.position(Double(sample) / timeline.sampleRate) }
        func time(_ sample: Int) -> String { String(format: "%.1f s", Double(sample) / timeline.sampleRate) }

        let rows = ["true", "predicted", "wrong"]
        for (row, name) in rows.enumerated() {
            let y = bandTop + Double(row) * (bandHeight + gap)
            canvas.rectangle(SVGCanvas.Frame(x: left, y: y, width: x(timeline.truth.count) - left, height: row == 2 ? bandHeight / 2 : bandHeight),
                             fill: "#f4f4f4")
            canvas.text(name, at: (left - 8, y + (row == 2 ? bandHeight / 4 : bandHeight / 2) + 4), size: 12, anchor: .end)
        }
        for segment in timeline.trueSegments {
            canvas.rectangle(SVGCanvas.Frame(x: x(segment.start), y: bandTop, width: x(segment.end) - x(segment.start), height: bandHeight),
                             fill: PlotPalette.series(segment.label),
                             title: "true \(className(segment.label, in: timeline)): \(time(segment.start))–\(time(segment.end))")
        }
        let predictedY = bandTop + bandHeight + gap
        for segment in timeline.predictedSegments() {
            canvas.rectangle(SVGCanvas.Frame(x: x(segment.start), y: predictedY, width: x(segment.end) - x(segment.start), height: bandHeight),
                             fill: PlotPalette.series(segment.label), opacity: 0.25 + 0.75 * min(max(segment.confidence, 0), 1),
                             title: "predicted \(className(segment.label, in: timeline)): \(time(segment.start))–\(time(segment.end)), "
                                 + "mean confidence \(String(format: "%.2f", segment.confidence))")
        }
        let wrongY = predictedY + bandHeight + gap
        for run in disagreements(timeline) {
            canvas.rectangle(SVGCanvas.Frame(x: x(run.start), y: wrongY, width: max(x(run.end) - x(run.start), 0.5), height: bandHeight / 2),
                             fill: disagreementColor, title: "wrong: \(time(run.start))–\(time(run.end))")
        }

        let chart = SVGLineChart(title: "Confidence of each prediction", xLabel: "seconds", yLabel: "confidence",
                                 series: [LineSeries(name: "confidence", points: timeline.predictions.map {
                                     (x: Double($0.sample) / timeline.sampleRate, y: $0.confidence)
                                 }, color: "#444")], yIncludes: [0, 1], integerX: false)
        chart.draw(into: &canvas, frame: SVGCanvas.Frame(x: labelRoom, y: bandsBottom, width: width - labelRoom, height: confidenceHeight),
                   extraPoints: [(x: 0, y: 0), (x: seconds, y: 1)])
        legend.draw(into: &canvas, frame: SVGCanvas.Frame(x: left, y: bandsBottom + confidenceHeight, width: right - left, height: legendHeight))
        return canvas.document
    }

    private static let disagreementColor = "#333333"

    private static func className(_ label: Int, in timeline: ActivityTimeline) -> String {
        label < timeline.classNames.count ? timeline.classNames[label] : "class \(label)"
    }

    /// The runs of samples whose shown label differs from the true one.
    private static func disagreements(_ timeline: ActivityTimeline) -> [(start: Int, end: Int)] {
        var runs: [(start: Int, end: Int)] = []
        for (sample, shown) in timeline.shownLabels().enumerated() {
            guard let shown, shown != timeline.truth[sample] else { continue }
            if let last = runs.last, last.end == sample { runs[runs.count - 1].end = sample + 1 } else { runs.append((sample, sample + 1)) }
        }
        return runs
    }
}

import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import HARKit
import TestSupport

/// The elements of an SVG document, parsed with an XML parser (so the document is well-formed XML).
final class SVGElements: NSObject, XMLParserDelegate {
    struct Element { let name: String; let attributes: [String: String]; var text: String }
    private(set) var elements: [Element] = []
    private var open: [Int] = []

    init(_ svg: String) throws {
        super.init()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = self
        guard parser.parse() else { throw ReportError("not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "?")") }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        elements.append(Element(name: name, attributes: attributes, text: ""))
        open.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) { open.removeLast() }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let last = open.last { elements[last].text += string }
    }

    func named(_ name: String) -> [Element] { elements.filter { $0.name == name } }
    var texts: [String] { named("text").map(\.text) }
    var titles: [String] { named("title").map(\.text) }
}

final class PlotTests: IsolatedTestCase {
    func epochs(_ count: Int, validation: Bool = true) -> [EpochRecord] {
        (1...count).map { e in
            var record = sampleEpoch(e)
            if !validation { (record.validationLoss, record.validationAccuracy, record.validationMacroF1) = (nil, nil, nil) }
            return record
        }
    }

    func testScaleTicksAreRoundNumbersCoveringTheData() {
        let scale = PlotScale(covering: [0.13, 0.97], from: 0, to: 100, tickCount: 6)
        XCTAssertEqual(scale.step, 0.2, accuracy: 1e-12)
        XCTAssertEqual(scale.ticks.count, 6)
        XCTAssertEqual(scale.ticks.first, 0)
        XCTAssertEqual(scale.ticks.last!, 1.0, accuracy: 1e-12)
        XCTAssertEqual(scale.position(0.5), 50, accuracy: 1e-9)
        XCTAssertEqual(scale.label(0.4), "0.4")
        XCTAssertEqual(PlotScale.niceStep(0.17), 0.2, accuracy: 1e-12)
        XCTAssertEqual(PlotScale.niceStep(3), 5)
        XCTAssertEqual(PlotScale.niceStep(12), 20)
        let flat = PlotScale(covering: [3, 3], from: 0, to: 1)
        XCTAssertLessThan(flat.low, 3)
        XCTAssertGreaterThan(flat.high, 3)
    }

    func testHeatColoursRunFromViridisPurpleToYellow() {
        XCTAssertEqual(PlotPalette.heat(0), "#440154")
        XCTAssertEqual(PlotPalette.heat(1), "#fde725")
        XCTAssertEqual(PlotPalette.heat(-3), "#440154")
        XCTAssertEqual(PlotPalette.heat(.nan), "#440154")
    }

    func testHistoryDrawsTrainingAndValidationCurvesPerRunWithLegend() throws {
        var diverged = epochs(4)
        diverged[3].trainLoss = .nan
        let svg = Plot.trainingHistory([PlotRun(name: "run 1 · sa · uci-har", epochs: diverged), PlotRun(name: "run 2 · cnn", epochs: epochs(6, validation: false))])
        let parsed = try SVGElements(svg)
        let lines = parsed.named("polyline")
        XCTAssertEqual(lines.count, 6, "loss: 2 training + 1 validation; accuracy: the same")
        XCTAssertEqual(lines.filter { $0.attributes["stroke-dasharray"] != nil }.count, 2, "validation curves are dashed")
        let firstLoss = try XCTUnwrap(lines.first?.attributes["points"]).split(separator: " ")
        XCTAssertEqual(firstLoss.count, 3, "the NaN loss of epoch 4 is left out")
        for expected in ["Loss per epoch", "Accuracy per epoch", "epoch", "cross-entropy loss", "accuracy", "run 1 · sa · uci-har", "run 2 · cnn", "training", "validation"] {
            XCTAssertTrue(parsed.texts.contains(expected), "missing text '\(expected)'")
        }
        XCTAssertTrue(parsed.titles.contains("run 1 · sa · uci-har training: epoch 2, cross-entropy loss 0.5"), "\(parsed.titles.prefix(3))")
    }

    func testCurvePointsSitWhereTheirValuesAre() throws {
        let svg = Plot.epochTimes([PlotRun(name: "r", epochs: [sampleEpoch(1, seconds: 0), sampleEpoch(2, seconds: 10)])])
        let parsed = try SVGElements(svg)
        let points = try XCTUnwrap(parsed.named("polyline").first?.attributes["points"]).split(separator: " ").map { $0.split(separator: ",").map { Double($0)! } }
        let frame = try XCTUnwrap(parsed.named("rect").first { $0.attributes["stroke"] == "#999" })
        let left = Double(frame.attributes["x"]!)!, top = Double(frame.attributes["y"]!)!
        let right = left + Double(frame.attributes["width"]!)!, bottom = top + Double(frame.attributes["height"]!)!
        XCTAssertEqual(points[0][1], bottom, accuracy: 0.01, "0 s lies on the x axis")
        XCTAssertEqual(points[1][1], top, accuracy: 0.01, "10 s is the top tick")
        XCTAssertEqual(points[0][0], left, accuracy: 0.01, "epoch 1 is the first tick")
        XCTAssertEqual(points[1][0], right, accuracy: 0.01, "epoch 2 is the last tick")
        XCTAssertTrue(parsed.texts.contains("10"))
        XCTAssertTrue(parsed.texts.contains("seconds"))
    }

    func testConfusionHeatMapShowsCountsNamesAndRowShares() throws {
        let matrix = ConfusionMatrix(labels: [0, 0, 0, 1, 2, 2], predictions: [0, 0, 1, 1, 2, 0], classes: 3)
        let svg = Plot.confusion(matrix, classNames: ["walk", "sit & rest", "<lie>"])
        let parsed = try SVGElements(svg)
        XCTAssertTrue(svg.contains("sit &amp; rest") && svg.contains("&lt;lie&gt;"))
        for name in ["walk", "sit & rest", "<lie>", "true class", "predicted class", "Confusion matrix"] {
            XCTAssertTrue(parsed.texts.contains(name), "missing '\(name)'")
        }
        let cells = parsed.named("rect").filter { $0.attributes["fill"]?.hasPrefix("#") == true && $0.attributes["width"] == $0.attributes["height"] }
        XCTAssertGreaterThanOrEqual(cells.count, 9)
        XCTAssertEqual(Array(parsed.texts.filter { Int($0) != nil }.prefix(9)), ["2", "1", "0", "0", "1", "0", "1", "0", "1"])
        XCTAssertTrue(parsed.titles.contains("true walk, predicted sit & rest: 1 (33.3% of walk)"))
        let walkRow = cells.prefix(3).map { $0.attributes["fill"]! }
        XCTAssertEqual(walkRow, [PlotPalette.heat(2.0 / 3), PlotPalette.heat(1.0 / 3), PlotPalette.heat(0)])
    }

    func testAttentionMapHasOneCellPerChannelAndStepWithChannelNames() throws {
        let map: [[Double]] = (0..<6).map { t in (0..<3).map { c in Double(t * 3 + c) } }
        let svg = Plot.attention(map, channelNames: ["acc_x", "acc_y", "acc_z"], title: "Spatial attention · class walk")
        let parsed = try SVGElements(svg)
        XCTAssertEqual(parsed.titles.filter { $0.contains(", step ") }.count, 18)
        for name in ["acc_x", "acc_y", "acc_z", "channel", "time step (after pooling)", "Spatial attention · class walk", "0", "17"] {
            XCTAssertTrue(parsed.texts.contains(name), "missing '\(name)'")
        }
        XCTAssertTrue(parsed.titles.contains("acc_y, step 5: 16.0000"))
        let lowest = parsed.named("rect").first { $0.attributes["fill"] == PlotPalette.heat(0) }
        XCTAssertNotNil(lowest, "the smallest weight takes the bottom colour")
    }

    func testTuningTrialsMarkPrunedTrialsAndTheBest() throws {
        let trials = [TrialScore(trial: 1, score: 0.7, epochs: 2, pruned: true, settings: "lr=0.01"),
                      TrialScore(trial: 2, score: 0.9, epochs: 8, pruned: false, settings: "lr=0.001"),
                      TrialScore(trial: 3, score: 0.8, epochs: 8, pruned: false, settings: "lr=0.0001")]
        let parsed = try SVGElements(Plot.tuningTrials(trials))
        let markers = parsed.named("circle").filter { $0.attributes["r"] == "6" }
        XCTAssertEqual(markers.count, 3 + 2, "three trials and two legend samples")
        XCTAssertEqual(markers.filter { $0.attributes["fill"] == "white" }.count, 2, "trial 1 and the pruned legend sample are hollow")
        XCTAssertTrue(parsed.texts.contains("best: 0.9000"))
        XCTAssertTrue(parsed.titles.contains("trial 1: 0.7000 after 2 epochs (pruned); lr=0.01"))
    }

    func testPlotsAreSelfContained() {
        let svgs = [Plot.trainingHistory([PlotRun(name: "r", epochs: epochs(3))]), Plot.epochTimes([]),
                    Plot.confusion(ConfusionMatrix(classes: 2), classNames: ["a", "b"]), Plot.attention([[0.5]], channelNames: ["x"]),
                    Plot.tuningTrials([])]
        for svg in svgs {
            XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
            XCTAssertFalse(svg.contains("<script") || svg.contains("href") || svg.contains("url(") || svg.contains(" id="))
            XCTAssertNoThrow(try SVGElements(svg))
        }
    }

    func testWritingAPlotToAMissingFolderFailsClearly() throws {
        let folder = try makeTemporaryFolder(self)
        XCTAssertThrowsError(try Plot.write("<svg/>", to: folder.appendingPathComponent("no/plot.svg"))) { error in
            XCTAssertTrue("\(error)".hasPrefix("cannot write the plot: cannot write '\(folder.path)/no/plot.svg'"), "\(error)")
        }
        try Plot.write("<svg/>", to: folder.appendingPathComponent("plot.svg"))
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("plot.svg"), encoding: .utf8), "<svg/>")
    }

    func testPNGWithoutRsvgConvertIsAClearErrorAndWritesNothing() throws {
        let folder = try makeTemporaryFolder(self)
        let target = folder.appendingPathComponent("plot.png")
        XCTAssertThrowsError(try Plot.write(Plot.attention([[0.5]], channelNames: ["x"]), to: target, environment: ["PATH": folder.path])) {
            XCTAssertEqual("\($0)", "writing PNG needs rsvg-convert, which is not installed: install Debian's librsvg2-bin "
                           + "(scripts/setup.sh does), or name the file FILE.svg")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: target.path))
        XCTAssertThrowsError(try Plot.write("<svg/>", to: folder.appendingPathComponent("plot.jpg"))) {
            XCTAssertTrue("\($0)".hasPrefix("plots are written as SVG or PNG"), "\($0)")
        }
    }
}

import Foundation
import XCTest
@testable import HARKit
import TestSupport

final class ReportTests: IsolatedTestCase {
    /// A store with two evaluated runs of uci-har models, one of wisdm, and an unevaluated one.
    func sampleStore() throws -> RunStore {
        let store = try RunStore(url: try makeTemporaryFolder(self).appendingPathComponent("runs.sqlite"))
        let epochs = (1...5).map { sampleEpoch($0) }
        let end = RunEnd(status: .finished, trainSeconds: 10)
        try store.record(sampleStart(dataset: "uci-har", model: "sa"), epochs: epochs, end: end, metrics: sampleMetrics(correct: 9))
        try store.record(sampleStart(dataset: "uci-har", model: "cnn <wide>"), epochs: epochs, end: end, metrics: sampleMetrics(correct: 7))
        try store.record(sampleStart(dataset: "wisdm", model: "sa"), epochs: epochs, end: end, metrics: sampleMetrics(correct: 8))
        try store.begin(sampleStart(dataset: "dsads", model: "sa"))
        return store
    }

    func testReportHoldsTablesAndEveryPlotInline() throws {
        let trials = [TrialScore(trial: 1, score: 0.6, epochs: 2, pruned: true, settings: "lr=0.01"),
                      TrialScore(trial: 2, score: 0.8, epochs: 6, pruned: false, settings: "lr=0.001")]
        let html = try Report(store: try sampleStore(), attention: [sampleAttention()], trials: trials).html()
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertEqual(html.components(separatedBy: "<svg").count - 1, 2 * 2 + 3 + 1 + 1,
                       "curves and epoch times per dataset, three confusion matrices, one attention map, one trials plot")
        for heading in ["Comparison", "Runs", "Training curves · uci-har", "Training curves · wisdm", "Confusion matrices", "Spatial attention", "Tuning"] {
            XCTAssertTrue(html.contains("<h2>\(heading)</h2>"), "missing section \(heading)")
        }
        XCTAssertFalse(html.contains("Training curves · dsads"), "a run without epochs has no curves")
        XCTAssertTrue(html.contains("cnn &lt;wide&gt;") && !html.contains("cnn <wide>"), "names are escaped")
        XCTAssertTrue(html.contains("<td class=\"number\">90.00%</td>"), "accuracy reads as a percentage, as in the shell")
        XCTAssertTrue(html.contains("<a href=\"#training-curves-uci-har\">"))
        let trialRows = html.components(separatedBy: "<td class=\"number\">").filter { $0.hasPrefix("0.8000</td>") || $0.hasPrefix("0.6000</td>") }
        XCTAssertEqual(trialRows.first?.prefix(6), "0.8000", "trials are sorted by score")
        for forbidden in ["<script", "<link", "<img", "@import", "url("] {
            XCTAssertFalse(html.contains(forbidden), "the page must not load anything: found \(forbidden)")
        }
        XCTAssertFalse(html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http"), "no network addresses")
    }

    func testReportOfChosenRunsComparesThemSideBySide() throws {
        let store = try sampleStore()
        let report = try Report(store: store, ids: [3, 1])
        XCTAssertEqual(report.compared.map(\.id), [3, 1])
        XCTAssertEqual(report.runs.map(\.id), [3, 1])
        XCTAssertThrowsError(try Report(store: store, ids: [1, 99])) { XCTAssertTrue("\($0)".contains("no run 99"), "\($0)") }
    }

    func testEmptyStoreGivesAPageThatSaysSo() throws {
        let html = try Report(store: try RunStore(url: try makeTemporaryFolder(self).appendingPathComponent("runs.sqlite"))).html()
        XCTAssertTrue(html.contains("No evaluated runs yet.") && html.contains("No runs recorded."))
        XCTAssertFalse(html.contains("<svg"))
    }

    func testUnwritableReportPathFailsAndLeavesTheOldPage() throws {
        let folder = try makeTemporaryFolder(self)
        let report = try Report(store: try sampleStore())
        let url = folder.appendingPathComponent("report.html")
        try Data("old".utf8).write(to: url)
        XCTAssertThrowsError(try report.write(to: folder.appendingPathComponent("missing/report.html"))) { error in
            XCTAssertTrue("\(error)".hasPrefix("cannot write the report: cannot write '\(folder.path)/missing/report.html'"), "\(error)")
        }
        XCTAssertThrowsError(try report.write(to: folder)) { XCTAssertTrue("\($0)".contains("it is a folder"), "\($0)") }
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "old")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["report.html"])
        try report.write(to: url)
        XCTAssertTrue(try String(contentsOf: url, encoding: .utf8).hasPrefix("<!DOCTYPE html>"))
    }
}

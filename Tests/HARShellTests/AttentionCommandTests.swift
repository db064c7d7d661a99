import Foundation
import XCTest
import HARKit
@testable import HARShell
import TestSupport

/// `inspect attention`, `plot attention` (terminal and file) and `report` show one map: HARKit's `AttentionMaps`.
final class AttentionCommandTests: IsolatedTestCase {
    /// A session with a temporary run store, small synthetic windows and a tiny attention model trained one epoch.
    private func trainedShell(window: Int = 32) throws -> (Interpreter, OutputBuffer) {
        let (shell, out) = makeInterpreter()
        shell.runStore = try RunStore(url: temporaryFolder().appendingPathComponent("runs.sqlite"))
        shell.timingRepetitions = 3
        XCTAssertEqual(shell.execute("load synthetic window=\(window) overlap=0; model sa width=4 depth=2; set batch 256; train 1"), .success,
                       out.errors.map(\.error.message).joined(separator: "; "))
        return (shell, out)
    }

    private func map(_ result: CommandResult?) -> [[Double]] {
        result?["map"]?.arrayValue?.map { $0.arrayValue?.compactMap(\.doubleValue) ?? [] } ?? []
    }

    /// The hover titles the SVG heat map gives each cell of `map` (the numbers it shows, to four places).
    private func cellTitles(_ map: [[Double]], channels: [String]) -> [String] {
        map.indices.flatMap { t in channels.indices.map { c in "<title>\(channels[c]), step \(t): \(String(format: "%.4f", map[t][c]))</title>" } }
    }

    func testTerminalPlotFileAndReportShowTheSameMapOfTestWindowZero() throws {
        let (shell, out) = try trainedShell()
        let dataset = try XCTUnwrap(shell.session.dataset)
        let expected = try AttentionMaps(model: try XCTUnwrap(shell.session.model), dataset: dataset)
        XCTAssertEqual(expected.windows, [dataset.indices(in: .test)[0]])
        XCTAssertNotEqual(expected.windows, [0], "dataset window 0 is a training window: the two meanings differ")

        XCTAssertEqual(shell.execute("inspect attention"), .success, out.errors.last?.error.message ?? "")
        let inspected = out.results.last
        XCTAssertEqual(map(inspected), expected.layers[0].values)
        XCTAssertEqual(inspected?["split"], .string("test"))
        XCTAssertEqual(inspected?["windows"], .array(expected.windows.map { .int($0) }))
        XCTAssertTrue(out.lines.contains { $0.hasSuffix(", test window 0 (class \(dataset.classNames[dataset.labels[expected.windows[0]]]))") })

        XCTAssertEqual(shell.execute("plot attention"), .success, out.errors.last?.error.message ?? "")
        XCTAssertEqual(map(out.results.last), expected.layers[0].values)

        let folder = temporaryFolder()
        XCTAssertEqual(shell.execute("plot attention to \(folder.path)/a.svg"), .success, out.errors.last?.error.message ?? "")
        XCTAssertEqual(map(out.results.last), expected.layers[0].values)
        XCTAssertEqual(shell.execute("report to \(folder.path)/r.html"), .success, out.errors.last?.error.message ?? "")
        let svg = try String(contentsOf: folder.appendingPathComponent("a.svg"), encoding: .utf8)
        let page = try String(contentsOf: folder.appendingPathComponent("r.html"), encoding: .utf8)
        let title = "body.1 · \(expected.caption)"
        XCTAssertTrue(svg.contains(title) && page.contains(title), title)
        for cell in cellTitles(expected.layers[0].values, channels: dataset.channelNames) {
            XCTAssertTrue(svg.contains(cell), "the SVG shows \(cell)")
            XCTAssertTrue(page.contains(cell), "the report shows \(cell)")
        }
    }

    func testPlotToAFileTakesInspectsOptionsAndDrawsTheSameClassMean() throws {
        let (shell, out) = try trainedShell()
        let dataset = try XCTUnwrap(shell.session.dataset)
        XCTAssertEqual(shell.execute("inspect attention class=jog layer=body.5"), .success, out.errors.last?.error.message ?? "")
        let inspected = map(out.results.last)
        XCTAssertEqual(out.results.last?["layer"], .string("body.5"))
        let file = temporaryFolder().appendingPathComponent("jog.svg")
        XCTAssertEqual(shell.execute("plot attention class=jog layer=1 to \(file.path)"), .success, out.errors.last?.error.message ?? "")
        XCTAssertEqual(map(out.results.last), inspected)
        let svg = try String(contentsOf: file, encoding: .utf8)
        for cell in cellTitles(inspected, channels: dataset.channelNames) { XCTAssertTrue(svg.contains(cell), cell) }

        XCTAssertEqual(shell.execute("inspect attention layer=body.2"), .failure)
        XCTAssertEqual(out.errors.last?.error, ShellError("unknown layer 'body.2': name one (body.1, body.5) or give its index 0…1", at: 18))
        XCTAssertEqual(shell.execute("plot attention sample=1 class=jog"), .failure)
        XCTAssertEqual(out.errors.last?.error.position, 15)
        XCTAssertEqual(shell.execute("plot history sample=1"), .failure, "only attention takes a window")
    }

    func testClassMeanRunsOverEveryTestWindowOfTheClassNotTheFirst256() throws {
        let (shell, out) = try trainedShell(window: 8)
        let dataset = try XCTUnwrap(shell.session.dataset)
        let walking = dataset.indices(in: .test).filter { dataset.labels[$0] == 0 }
        XCTAssertGreaterThan(walking.count, 256)
        XCTAssertEqual(shell.execute("inspect attention class=walking"), .success, out.errors.last?.error.message ?? "")
        XCTAssertEqual(out.results.last?["windows"]?.arrayValue?.count, walking.count)
        let expected = try AttentionMaps(model: try XCTUnwrap(shell.session.model), dataset: dataset, subject: .classLabel(0))
        XCTAssertEqual(map(out.results.last), expected.layers[0].values)
        XCTAssertTrue(out.lines.contains { $0.hasSuffix("class walking (mean of \(walking.count) test windows)") })
    }
}

import XCTest
@testable import HARKit
@testable import HARShell
import TestSupport

/// Tables and matrices fit the terminal's width (issue 20 §4): the width comes from the terminal, `COLUMNS` or a
/// default, and `eval`, `show`, `compare` and `runs` lay their text out to it.
final class TerminalFitTests: IsolatedTestCase {
    /// DSADS's 19 activities: long names whose six-character abbreviations (`walki…`) collide.
    private let dsadsClasses = [
        "sitting", "standing", "lying on back", "lying on right side", "ascending stairs", "descending stairs",
        "standing in elevator", "moving in elevator", "walking in parking lot", "walking on treadmill 4 km/h flat",
        "walking on treadmill 4 km/h inclined", "running on treadmill 8 km/h", "exercising on stepper",
        "exercising on cross trainer", "cycling horizontal", "cycling vertical", "rowing", "jumping", "playing basketball",
    ]

    /// A 19-class confusion matrix with 120 test windows per class, a few off the diagonal.
    private var dsadsCounts: [[Int]] {
        (0..<19).map { i in (0..<19).map { j in j == i ? 110 : (j == (i + 1) % 19 ? 10 : 0) } }
    }

    private func widest(_ lines: [String]) -> Int { lines.map(TextTable.visibleWidth).max() ?? 0 }

    func testWidthIsTheTerminalsThenColumnsThenTheDefault() {
        XCTAssertEqual(TerminalWidth.resolve(measured: 97, environment: ["COLUMNS": "50"]), 97)
        XCTAssertEqual(TerminalWidth.resolve(measured: nil, environment: ["COLUMNS": "50"]), 50)
        XCTAssertEqual(TerminalWidth.resolve(measured: nil, environment: ["COLUMNS": "wide"]), TerminalWidth.default)
        XCTAssertEqual(TerminalWidth.resolve(measured: nil, environment: ["COLUMNS": "0"]), TerminalWidth.default)
        XCTAssertEqual(TerminalWidth.resolve(measured: nil, environment: [:]), TerminalWidth.default)
    }

    func testTheTerminalSinkAsksItsWidthEachTime() {
        var width = 100
        let sink = TerminalSink(json: false, showProgress: false, textStyle: Style(colour: false), errorStyle: Style(colour: false),
                                writeOut: { _ in }, writeErr: { _ in }, width: { width })
        XCTAssertEqual(sink.columns, 100)
        width = 60
        XCTAssertEqual(sink.columns, 60, "a resized terminal is measured again")
    }

    /// In a 140-column terminal every row of DSADS's matrix fits on one line, and every column can be told apart
    /// (class numbers, each row led by its number and name).
    func testManyClassesFitA140ColumnTerminalWithNumberedColumns() {
        let lines = ConfusionMatrixView.render(dsadsCounts, classes: dsadsClasses, style: Style(colour: false), width: 140)
        XCTAssertLessThanOrEqual(widest(lines), 140, lines.joined(separator: "\n"))
        XCTAssertFalse(lines.joined().contains("walki…"), "no abbreviations that collide")
        let header = try? XCTUnwrap(lines.first { $0.hasPrefix("true \\ predicted") })
        XCTAssertEqual(header?.split(separator: " ").suffix(20).map(String.init), (0..<19).map(String.init) + ["recall"])
        XCTAssertTrue(lines.contains { $0.hasPrefix("9 walking on treadmill") }, lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains { $0.hasPrefix("18 playing basketball") && $0.hasSuffix("91.7%") }, lines.joined(separator: "\n"))
    }

    /// Narrower than the numbered table: a heat map, one cell per pair, still within the width, recall per row.
    func testManyClassesInANarrowTerminalBecomeAHeatMap() {
        let lines = ConfusionMatrixView.render(dsadsCounts, classes: dsadsClasses, style: Style(colour: false), width: 60)
        XCTAssertLessThanOrEqual(widest(lines), 60, lines.joined(separator: "\n"))
        let row = try? XCTUnwrap(lines.first { $0.hasPrefix("0 sitting") })
        XCTAssertEqual(row.map { String($0.split(separator: "│")[1].prefix(19)) }, "@.                 ")
        XCTAssertEqual(row.map { $0.hasSuffix("91.7%") }, true)
    }

    /// Few short classes keep their names over the columns, as before.
    func testFewClassesKeepTheirNames() {
        let lines = ConfusionMatrixView.render([[8, 2], [0, 5]], classes: ["walking", "sit"], style: Style(colour: false), width: 80)
        XCTAssertEqual(lines[0], "true \\ predicted  walki…  sit  recall")
    }

    func testATableWiderThanTheTerminalSplitsIntoBlocksLedByItsKey() {
        let table = TextTable(header: ["run", "a", "b", "c"], rows: [["#1", "aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc"]])
        let lines = table.render(width: 30)
        XCTAssertEqual(lines, ["run  a           b", "───  ──────────  ──────────", "#1   aaaaaaaaaa  bbbbbbbbbb", "",
                               "run  c", "───  ──────────", "#1   cccccccccc"])
        XCTAssertEqual(table.render(width: 200), table.render())
    }

    /// A runs table as text: titles, cells as people read them, numbers (and percentages) right-aligned, `–` for nothing.
    func testARunsTableReadsAsTextWithNumbersRightAligned() {
        let table = RunTable(columns: [RunTable.Column(key: "model", title: "model"), RunTable.Column(key: "accuracy", title: "accuracy"),
                                       RunTable.Column(key: "f1_macro", title: "F1")],
                             rows: [[.text("sa"), .percentage(0.9), .number(0.9048, digits: 3)], [.text("sa+lstm"), .missing, .missing]])
        XCTAssertEqual(TextTable(table).render(), ["model    accuracy     F1", "───────  ────────  ─────",
                                                   "sa         90.00%  0.905", "sa+lstm         –      –"])
    }

    /// `show`, `eval`, `runs` and `compare` fit an 80-column terminal (the sink's width).
    func testShowEvalRunsAndCompareFitTheSinksWidth() {
        let (shell, out) = makeInterpreter()
        out.columns = 80
        shell.timingRepetitions = 3
        XCTAssertEqual(shell.execute("load synthetic window=32 overlap=0; model sa width=4 depth=1; set batch 64; train 1"), .success)
        for command in ["show", "eval", "runs", "compare"] {
            out.clear()
            XCTAssertEqual(shell.execute(command), .success, command)
            XCTAssertLessThanOrEqual(widest(out.lines), 80, command + ":\n" + out.transcript)
        }
        out.columns = nil
        out.clear()
        shell.execute("show")
        XCTAssertGreaterThan(widest(out.lines), 80, "without a width, `show` keeps its one wide table")
    }

    /// An epoch line keeps the header's columns for any magnitude: a loss of 3067.6279 once ran into the epoch
    /// number (`13067.6279`).
    func testEpochLinesKeepTheirColumnsForAnyMagnitude() {
        for loss in [0.61234, 3067.6279, 12_345.678, 999_999.9, 4e30, Double.greatestFiniteMagnitude, -Double.greatestFiniteMagnitude, .infinity] {
            for seconds in [12.34, 123_456.7, 9e9] {
                let record = EpochRecord(epoch: 1, trainLoss: loss, penaltyLoss: 0, trainAccuracy: 0.8125, validationLoss: 0.7,
                                         validationAccuracy: 0.75, validationMacroF1: 0.7321, learningRate: 5e-4, seconds: seconds,
                                         windowsPerSecond: 250)
                let line = TrainingView.line(record)
                XCTAssertEqual(line.count, TrainingView.header.count, "loss \(loss), \(seconds) s: \(line)")
                XCTAssertTrue(line.hasPrefix("    1 "), line)
            }
        }
        XCTAssertEqual(TrainingView.fitted(3067.6279, width: 7, decimals: 4), "3067.63")
        XCTAssertEqual(TrainingView.fitted(-Double.greatestFiniteMagnitude, width: 7, decimals: 4), "-2e+308")
    }
}

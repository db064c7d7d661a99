import XCTest
@testable import HARShell
import TestSupport

final class RenderTests: IsolatedTestCase {
    private let plain = Style(colour: false)

    func testTableAlignsColumnsAndDropsTrailingSpaces() {
        let table = TextTable(header: ["name", "n"], rows: [["walking", "12"], ["run", "3"]], alignments: [.left, .right])
        XCTAssertEqual(table.render(), ["name      n", "───────  ──", "walking  12", "run       3"])
    }

    func testTableIgnoresEscapeCodesWhenMeasuring() {
        let bold = Style(colour: true).bold("7")
        let table = TextTable(header: ["a", "b"], rows: [[bold, "x"]])
        XCTAssertEqual(TextTable.visibleWidth(bold), 1)
        XCTAssertEqual(table.render()[2], bold + "  x")
    }

    func testStyleHonoursNoColorAndTerminals() {
        XCTAssertTrue(Style.forTerminal(isTerminal: true, environment: [:]).colour)
        XCTAssertFalse(Style.forTerminal(isTerminal: true, environment: ["NO_COLOR": "1"]).colour)
        XCTAssertFalse(Style.forTerminal(isTerminal: false, environment: [:]).colour)
        XCTAssertEqual(plain.red("x"), "x")
        XCTAssertEqual(Style(colour: true).red("x"), "\u{1B}[31mx\u{1B}[0m")
    }

    func testProgressBarShowsCountsElapsedAndEta() {
        let line = ProgressBar.render(Progress(label: "epoch 1/3", done: 25, total: 100, elapsed: 10), width: 8)
        XCTAssertEqual(line, "epoch 1/3 [##......] 25/100  0:10 eta 0:30")
        XCTAssertEqual(ProgressBar.clock(3725), "1:02:05")
        XCTAssertNil(Progress(label: "", done: 0, total: 5, elapsed: 1).remaining)
    }

    func testHeatMapMapsTheRangeOntoTheCharacterRamp() {
        // 10 time steps × 2 channels: channel a rises 0…9, channel b is constant 0.
        let values = (0..<10).map { [Double($0), 0] }
        let lines = TerminalHeatMap.render(values, channels: ["a", "bb"], style: plain)
        XCTAssertEqual(lines[0], "a  │ .:-=+*#%@")
        XCTAssertEqual(lines[1], "bb │          ")
        XCTAssertEqual(lines[2], "   └──────────")
        XCTAssertTrue(lines[3].contains("time 0…9"))
    }

    func testHeatMapAveragesLongSeriesIntoColumns() {
        // 4 steps into 2 columns: (0+2)/2 = 1 and (4+6)/2 = 5 → lowest and highest.
        let lines = TerminalHeatMap.render([[0], [2], [4], [6]], channels: ["x"], style: plain, maxColumns: 2)
        XCTAssertEqual(lines[0], "x │ @")
    }

    func testHeatMapInColourUsesBackgroundCells() {
        let lines = TerminalHeatMap.render([[0], [1]], channels: ["x"], style: Style(colour: true))
        XCTAssertTrue(lines[0].contains("\u{1B}[48;5;17m \u{1B}[0m"))
        XCTAssertTrue(lines[0].contains("\u{1B}[48;5;196m \u{1B}[0m"))
    }

    func testConfusionMatrixHasClassNamesAndRecall() {
        let lines = ConfusionMatrixView.render([[8, 2], [0, 5]], classes: ["walking", "sit"], style: plain)
        XCTAssertEqual(lines, [
            "true \\ predicted  walki…  sit  recall",
            "────────────────  ──────  ───  ──────",
            "walking                8    2   80.0%",
            "sit                    ·    5  100.0%",
        ])
    }

    func testLineChartPlacesExtremesOnTopAndBottomRows() {
        let lines = TerminalLineChart.render([.init("loss", [3, 2, 1]), .init("acc", [1, 2, 3])], width: 10, height: 3)
        XCTAssertEqual(lines[0], "3.0 │* o")
        XCTAssertEqual(lines[1], "    │ o")
        XCTAssertEqual(lines[2], "1.0 │o *")
        XCTAssertEqual(lines.last, "* loss   o acc")
    }

    func testErrorViewPutsACaretUnderTheWord() {
        let lines = ErrorView.render(ShellError("unknown model 'atn+lstm'", at: 6), source: "model atn+lstm", origin: "x.har:3",
                                     style: plain)
        XCTAssertEqual(lines, ["error: x.har:3: unknown model 'atn+lstm'", "  model atn+lstm", "        ^~~~~~~~"])
    }

    func testErrorViewWithoutPositionIsOneLine() {
        XCTAssertEqual(ErrorView.render(ShellError("boom"), source: "x", origin: nil, style: plain), ["error: boom"])
    }

    func testJSONEscapesAndKeepsFieldOrder() {
        let value = JSONValue.object([("b", .string("a\"b\n")), ("a", .array([.int(1), .double(0.5), .double(.nan), .null]))])
        XCTAssertEqual(value.serialized, #"{"b":"a\"b\n","a":[1,0.5,null,null]}"#)
    }

    func testTerminalSinkSendsTextToStderrAndResultsToStdoutUnderJSON() {
        var out = "", err = ""
        let sink = TerminalSink(json: true, showProgress: false, textStyle: plain, errorStyle: plain,
                                writeOut: { out += $0 }, writeErr: { err += $0 })
        sink.text("hello")
        sink.result(CommandResult(command: "set", fields: [("key", .string("lr"))]))
        sink.progress(Progress(label: "e", done: 1, total: 2, elapsed: 1))
        XCTAssertEqual(out, #"{"command":"set","ok":true,"key":"lr"}"# + "\n")
        XCTAssertEqual(err, "hello\n")
    }

    func testTerminalSinkClearsTheProgressLineBeforeText() {
        var out = "", err = ""
        let sink = TerminalSink(json: false, showProgress: true, textStyle: plain, errorStyle: plain,
                                writeOut: { out += $0 }, writeErr: { err += $0 })
        sink.progress(Progress(label: "e", done: 1, total: 2, elapsed: 1))
        sink.text("epoch 1")
        XCTAssertTrue(err.hasPrefix("\re [") && err.hasSuffix("\u{1B}[K\r\u{1B}[K"))
        XCTAssertEqual(out, "epoch 1\n")
    }
}

import XCTest
import HARKit
@testable import HARShell
import TestSupport

/// One convention for what the shell prints (issue 20 §6): accuracy as a percentage in every text, counts that
/// agree in number, one meaning per `--json` field name, and a single-document `--json` mode. (A thread-restoring
/// case: `ShellProgram.run` applies the thread setting to libtorch.)
final class OutputConventionTests: ThreadRestoringTestCase {
    /// A session with a temporary run store, small synthetic windows and a tiny attention model.
    private func preparedShell() throws -> (Interpreter, OutputBuffer) {
        let (shell, out) = makeInterpreter()
        shell.runStore = try RunStore(url: temporaryFolder().appendingPathComponent("runs.sqlite"))
        shell.timingRepetitions = 3
        XCTAssertEqual(shell.execute("load synthetic window=32 overlap=0; model sa width=4 depth=1; set batch 64"), .success)
        return (shell, out)
    }

    /// `eval` printed `86.67%` while `runs` and `compare` printed `0.8667`: now both print the eval's percentage, and
    /// `--json` keeps the fraction.
    func testAccuracyIsAPercentageInEveryTextAndAFractionInJSON() throws {
        let (shell, out) = try preparedShell()
        XCTAssertEqual(shell.execute("train 1; eval"), .success, out.errors.map(\.error.message).joined())
        let accuracy = try XCTUnwrap(shell.session.lastEvaluation?.metrics.accuracy)
        let percent = TableValue.percentage(accuracy).display
        XCTAssertTrue(out.lines.contains { $0.hasPrefix("test: accuracy \(percent) ") }, out.transcript)
        for command in ["runs", "compare"] {
            out.clear()
            XCTAssertEqual(shell.execute(command), .success, command)
            XCTAssertTrue(out.lines[2].contains(" \(percent) "), command + ":\n" + out.transcript)
            XCTAssertFalse(out.lines[2].contains(String(format: "%.4f", accuracy)), command + ":\n" + out.transcript)
            XCTAssertEqual(out.results.last?["runs"]?.arrayValue?.first?["accuracy"]?.doubleValue ?? .nan, accuracy, accuracy: 1e-12, command)
        }
        out.clear()
        XCTAssertEqual(shell.execute("cv folds=2 epochs=1"), .success, out.errors.map(\.error.message).joined())
        let folds = try XCTUnwrap(out.results.last?["per_fold"]?.arrayValue)
        for (index, fold) in folds.enumerated() {
            let foldPercent = TableValue.percentage(fold["accuracy"]?.doubleValue ?? .nan).display
            XCTAssertTrue(out.lines.contains { $0.hasPrefix("\(index + 1) ") && $0.contains(" \(foldPercent) ") }, out.transcript)
        }
        XCTAssertTrue(out.lines.contains { $0.hasPrefix("accuracy ") && $0.contains("% ± ") }, out.transcript)
        XCTAssertTrue(out.lines.contains { $0.hasPrefix("per subject (") && $0.contains("% ± ") }, out.transcript)
    }

    func testCountsAgreeInNumber() throws {
        XCTAssertEqual(counted(1, "epoch"), "1 epoch")
        XCTAssertEqual(counted(0, "epoch"), "0 epochs")
        XCTAssertEqual(counted(1, "class", plural: "classes"), "1 class")
        XCTAssertEqual(counted(2, "class", plural: "classes"), "2 classes")
        let (shell, out) = try preparedShell()
        let file = temporaryFolder().appendingPathComponent("one.ckpt")
        XCTAssertEqual(shell.execute("train 1"), .success)
        XCTAssertTrue(out.lines.contains { $0.hasPrefix("training sa depth=1 width=4 on synthetic for 1 epoch ") }, out.transcript)
        XCTAssertTrue(out.lines.last?.hasPrefix("1 epoch in ") == true, out.lines.last ?? "")
        out.clear()
        XCTAssertEqual(shell.execute("status; inspect history; save model \(file.path); load model \(file.path)"), .success)
        for expected in ["last run   #1 sa depth=1 width=4 on synthetic, 1 epoch", "run #1: sa depth=1 width=4 on synthetic, 1 epoch",
                         "saved sa depth=1 width=4 (synthetic, 1 epoch) to \(file.path)"] {
            XCTAssertTrue(out.lines.contains { $0.hasPrefix(expected) }, expected + "\n" + out.transcript)
        }
        XCTAssertTrue(out.lines.contains { $0.hasPrefix("loaded sa") && $0.contains(" trained 1 epoch on synthetic from \(file.path)") },
                      out.transcript)
        XCTAssertFalse(out.transcript.contains(" 1 epochs"), out.transcript)
    }

    /// `load` had `"channels": 6` where `info` had `"channels": [...]`: a field name means one thing in every result.
    func testLoadAndInfoGiveEachFieldOneMeaning() throws {
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.execute("load synthetic window=32 overlap=0; info"), .success)
        let dataset = try XCTUnwrap(shell.session.dataset)
        let load = try XCTUnwrap(out.results.first { $0.command == "load" }), info = try XCTUnwrap(out.results.last)
        for result in [load, info] {
            XCTAssertEqual(result["channels"]?.arrayValue?.compactMap(\.stringValue), dataset.channelNames, result.command)
            XCTAssertEqual(result["classes"]?.arrayValue?.compactMap(\.stringValue), dataset.classNames, result.command)
            XCTAssertEqual(result["channel_count"], .int(dataset.channelCount), result.command)
            XCTAssertEqual(result["class_count"], .int(dataset.classNames.count), result.command)
        }
        for (name, value) in load.fields {
            guard let other = info[name] else { continue }
            XCTAssertEqual(kind(of: value), kind(of: other), "'\(name)' is a \(kind(of: value)) in load and a \(kind(of: other)) in info")
        }
    }

    private func kind(of value: JSONValue) -> String {
        switch value {
        case .array: return "list"
        case .object: return "object"
        case .string: return "string"
        case .int, .double: return "number"
        case .bool: return "bool"
        case .null: return "null"
        }
    }

    /// `--json-document` prints one JSON value, an array of every result (a failure's too), when `har` ends.
    func testJSONDocumentModePrintsOneArrayOfEveryResult() throws {
        var stdout = ""
        let sink = TerminalSink(json: true, document: true, showProgress: false, textStyle: Style(colour: false),
                                errorStyle: Style(colour: false), writeOut: { stdout += $0 }, writeErr: { _ in })
        let invocation = try Invocation.parse(["--json-document", "--no-rc", "--keep-going", "-c", "set lr 0.1; set batch -1", "-c", "show seed"])
        XCTAssertTrue(invocation.json && invocation.jsonDocument)
        let program = ShellProgram(invocation: invocation, environment: ["HOME": temporaryFolder().path, "HAR_RUNS": "/dev/null/runs.sqlite"],
                                   terminals: ShellProgram.Terminals(input: false, output: false, error: false), output: sink)
        XCTAssertEqual(program.run(), 1)
        let document = try JSONValue(parsing: Data(stdout.utf8))
        XCTAssertEqual(document.arrayValue?.compactMap { $0["command"]?.stringValue }, ["set", "set", "show"])
        let lines = stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 5, stdout)
        XCTAssertEqual(lines.first, "[")
        XCTAssertEqual(lines.last, "]")
        XCTAssertEqual(lines.dropFirst().dropLast().map { $0.hasPrefix("{\"command\":\"set\",\"ok\":false") }, [false, true, false], stdout)

        stdout = ""
        let empty = TerminalSink(json: true, document: true, showProgress: false, textStyle: Style(colour: false),
                                 errorStyle: Style(colour: false), writeOut: { stdout += $0 }, writeErr: { _ in })
        empty.finish()
        XCTAssertEqual(stdout, "[]\n", "no results is an empty array, still one JSON value")
    }
}

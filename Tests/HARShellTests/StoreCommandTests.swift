import XCTest
import HARKit
@testable import HARShell
import TestSupport

/// Commands over HARKit's run store, checkpoints, tuner, cross-validation, report and plots, on small synthetic data.
final class StoreCommandTests: IsolatedTestCase {
    func testTrainAndEvalAreRecordedAndRunsComparesAndExportsThem() throws {
        let (shell, out, store) = try makeStoreBackedInterpreter()
        XCTAssertEqual(shell.execute("train 1; eval"), .success, out.errors.map(\.error.message).joined())
        let records = try store.runs()
        XCTAssertEqual(records.count, 1)
        XCTAssertEqual(records[0].model, "sa depth=1 width=4")
        XCTAssertEqual(records[0].epochCount, 1)
        XCTAssertEqual(records[0].status, .finished)
        let accuracy = try XCTUnwrap(shell.session.lastEvaluation?.metrics.accuracy)
        XCTAssertEqual(records[0].testMetrics?.accuracy, accuracy)

        XCTAssertEqual(shell.execute("runs"), .success)
        XCTAssertEqual(out.results.last?["runs"]?.arrayValue?.count, 1)
        XCTAssertEqual(shell.execute("compare"), .success)
        XCTAssertEqual(out.results.last?["runs"]?.arrayValue?.count, 1)
        XCTAssertEqual(shell.execute("compare 7"), .failure)
        // `#1` is how the shell writes run 1; it used to start a comment, so `compare #7` silently compared everything.
        XCTAssertEqual(shell.execute("compare #\(records[0].id)"), .success, out.errors.map(\.error.message).joined())
        XCTAssertEqual(out.results.last?["runs"]?.arrayValue?.count, 1)
        XCTAssertEqual(shell.execute("compare #7"), .failure, "run 7 does not exist: an error, never everything")
        XCTAssertEqual(shell.execute("compare #0"), .failure)
        XCTAssertTrue(out.errors.last?.error.message.contains("invalid run id '#0'") == true, out.errors.last?.error.message ?? "")
        let file = temporaryFolder().appendingPathComponent("runs.json")
        XCTAssertEqual(shell.execute("export json \(file.path)"), .success)
        let exported = try JSONValue(parsing: Data(contentsOf: file))
        XCTAssertEqual(exported.arrayValue?.count, 1)
    }

    func testSaveThenLoadModelGivesTheSameEvaluation() throws {
        let (shell, out, _) = try makeStoreBackedInterpreter()
        let file = temporaryFolder().appendingPathComponent("m.ckpt")
        XCTAssertEqual(shell.execute("train 1; eval; save model \(file.path)"), .success, out.errors.map(\.error.message).joined())
        let before = try XCTUnwrap(shell.session.lastEvaluation?.metrics)
        XCTAssertEqual(shell.execute("model cnn width=4 depth=1; load model \(file.path); eval"), .success,
                       out.errors.map(\.error.message).joined())
        XCTAssertEqual(shell.session.model?.spec.name, "sa")
        XCTAssertEqual(shell.session.lastEvaluation?.metrics.confusion, before.confusion)
    }

    func testSaveDataWritesTheReferenceLayoutThatLoadsBackAsTheSameWindows() throws {
        let (shell, out, _) = try makeStoreBackedInterpreter()
        let folder = temporaryFolder().appendingPathComponent("synthetic-npy")
        XCTAssertEqual(shell.execute("save data \(folder.path)"), .success, out.errors.map(\.error.message).joined())
        for name in ["x_train.npy", "y_train.npy", "x_test.npy", "y_test.npy"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path), name)
        }
        let original = try XCTUnwrap(shell.session.dataset)
        XCTAssertEqual(shell.execute("load npy from \(folder.path)"), .success, out.errors.map(\.error.message).joined())
        let reloaded = try XCTUnwrap(shell.session.dataset)
        XCTAssertEqual(reloaded.windows, original.windows)
        XCTAssertEqual(reloaded.labels, original.labels)
        XCTAssertEqual(reloaded.splits, original.splits)
        XCTAssertEqual(shell.execute("save data"), .failure)
        XCTAssertEqual(shell.execute("save data /proc/no-such/x"), .failure)
    }

    func testLoadModelOfADamagedFileFailsAndKeepsTheModel() throws {
        let (shell, out, _) = try makeStoreBackedInterpreter()
        let file = temporaryFolder().appendingPathComponent("bad.ckpt")
        try Data("not a checkpoint".utf8).write(to: file)
        let model = try XCTUnwrap(shell.session.model)
        XCTAssertEqual(shell.execute("load model \(file.path)"), .failure)
        XCTAssertEqual(out.errors.last?.error.position, 11)
        XCTAssertTrue(shell.session.model === model)
    }

    func testTuneLeavesTheBestSettingsAndModel() throws {
        let (shell, out, store) = try makeStoreBackedInterpreter()
        XCTAssertEqual(shell.execute("tune lr=1e-3..1e-2:log, batch=32|64 trials=2 epochs=1"), .success,
                       out.errors.map(\.error.message).joined())
        let best = try XCTUnwrap(out.results.last?["best"])
        let settings = try XCTUnwrap(best["settings"])
        XCTAssertEqual(settings["batch"]?.stringValue.flatMap(Int.init), shell.session.config.batchSize)
        XCTAssertEqual(Double(settings["lr"]?.stringValue ?? "") ?? 0, shell.session.config.learningRate, accuracy: 1e-12)
        let runs = try store.runs()
        XCTAssertEqual(runs.map(\.kind), [.tune, .trial, .trial], "the search is one result, each trial a member of it")
        XCTAssertEqual(out.results.last?["store_run"]?.intValue, Int(runs[0].id))
        XCTAssertEqual(shell.execute("tune lrr=1..2"), .failure)
        XCTAssertEqual(out.errors.last?.error.message, "unknown tuning key 'lrr' — did you mean 'lr'?")
    }

    func testCrossValidationReportsMeanAndStd() throws {
        let (shell, out, _) = try makeStoreBackedInterpreter()
        XCTAssertEqual(shell.execute("cv folds=2 epochs=1"), .success, out.errors.map(\.error.message).joined())
        let result = try XCTUnwrap(out.results.last)
        let accuracies = result["per_fold"]?.arrayValue?.compactMap { $0["accuracy"]?.doubleValue } ?? []
        XCTAssertEqual(accuracies.count, 2)
        XCTAssertEqual(result["accuracy_mean"]?.doubleValue ?? 0, accuracies.reduce(0, +) / 2, accuracy: 1e-12)
        XCTAssertEqual(result["accuracy_std"]?.doubleValue ?? 0, abs(accuracies[0] - accuracies[1]) / 2.0.squareRoot(), accuracy: 1e-12)
    }

    func testReportAndPlotsAreWrittenAsFiles() throws {
        let (shell, out, _) = try makeStoreBackedInterpreter()
        let folder = temporaryFolder()
        XCTAssertEqual(shell.execute("train 1; eval"), .success)
        for line in ["report to \(folder.path)/r.html", "plot history to \(folder.path)/h.svg",
                     "plot confusion to \(folder.path)/c.svg", "plot attention to \(folder.path)/a.svg"] {
            XCTAssertEqual(shell.execute(line), .success, "\(line): \(out.errors.last?.error.message ?? "")")
        }
        let page = try String(contentsOf: folder.appendingPathComponent("r.html"), encoding: .utf8)
        XCTAssertTrue(page.contains("<svg"))
        for name in ["h.svg", "c.svg", "a.svg"] {
            XCTAssertTrue(try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8).hasPrefix("<svg"), name)
        }
        XCTAssertEqual(shell.execute("plot history to \(folder.path)/h.gif"), .failure)
        XCTAssertEqual(out.errors.last?.error.message, "plots are written as SVG or PNG: name the file FILE.svg or FILE.png")
    }

    /// `help plot` offers FILE.png: it is the SVG rasterised by rsvg-convert (scripts/setup.sh installs librsvg2-bin).
    func testPlotsAreWrittenAsPNGAtTwiceTheSVGsSize() throws {
        let (shell, out, _) = try makeStoreBackedInterpreter()
        let folder = temporaryFolder()
        XCTAssertEqual(shell.execute("train 1; eval"), .success, out.errors.map(\.error.message).joined())
        for what in ["history", "confusion", "attention"] {
            XCTAssertEqual(shell.execute("plot \(what) to \(folder.path)/\(what).svg; plot \(what) to \(folder.path)/\(what).PNG"), .success,
                           "\(what): \(out.errors.last?.error.message ?? "")")
            let png = try Data(contentsOf: folder.appendingPathComponent("\(what).PNG"))
            XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "\(what): a PNG signature")
            XCTAssertEqual(String(decoding: png[12..<16], as: UTF8.self), "IHDR")
            let size = [16, 20].map { offset in png[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) } }
            let svg = try String(contentsOf: folder.appendingPathComponent("\(what).svg"), encoding: .utf8)
            let declared = ["width", "height"].map { name -> Double in
                let value = svg.components(separatedBy: " \(name)=\"")[1].prefix { $0 != "\"" }
                return Double(value) ?? 0
            }
            XCTAssertEqual(Double(size[0]), (2 * declared[0]).rounded(.up), accuracy: 1, "\(what): width")
            XCTAssertEqual(Double(size[1]), (2 * declared[1]).rounded(.up), accuracy: 1, "\(what): height")
            XCTAssertGreaterThan(png.count, 5_000, "\(what): a drawn chart, not a blank image")
        }
        XCTAssertTrue(shell.execute("help plot") == .success && out.lines.contains { $0.contains("FILE.png") })
    }
}

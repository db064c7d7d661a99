import Foundation
import XCTest
@testable import HARKit
import TestSupport

final class RunTableTests: IsolatedTestCase {
    /// Two evaluated runs and one that is not, as the store would return them.
    func sampleRuns() -> [RunRecord] {
        func run(_ id: Int64, _ dataset: String, _ model: String, correct: Int?, lr: Double) -> RunRecord {
            var config = TrainingConfig()
            config.learningRate = lr
            return RunRecord(id: id, dataset: dataset, datasetProtocol: "{}", model: model, config: config, versions: [:], host: "h",
                             label: id == 2 ? "a, \"b\" | c" : nil, startedAt: Date(timeIntervalSince1970: 1_800_000_000), endedAt: nil,
                             status: correct == nil ? .running : .finished, message: nil, epochCount: 3,
                             finalTrainLoss: correct == nil ? nil : 0.123456, trainSeconds: 12.34,
                             testMetrics: correct.map(sampleMetrics(correct:)),
                             inference: correct == nil ? nil : InferenceTiming(latencyP50: 1.234, latencyP95: 2, latencyMean: 1.3, throughput: 4567.8, batch: 512),
                             checkpointPath: nil, precision: id == 2 ? .bfloat16 : (id == 1 ? .float32 : nil))
        }
        return [run(1, "uci-har", "sa", correct: 9, lr: 5e-4), run(2, "wisdm", "cnn", correct: 7, lr: 1e-3), run(3, "dsads", "sa+lstm", correct: nil, lr: 5e-4)]
    }

    /// Accuracy reads as a percentage and P/R/F1 with 3 decimals, as `eval` prints them; machines get the fractions.
    func testComparisonCellsReadAsEvalPrintsThem() {
        let row = RunTable.comparison(sampleRuns()).rows[0]
        XCTAssertEqual(row.map(\.display), ["uci-har", "sa", "1", "train", "–", "adamw lr 0.0005 batch 128 wd 0.001 seed 0",
                                            "90.00%", "–", "0.917", "0.917", "0.905", "–", "0.1235", "12.3", "1.23", "4568"])
        XCTAssertEqual(row[6].exact, "0.9")
        XCTAssertEqual(TableValue.percentage(1.0 / 32).display, "3.13%", "a tie rounds up, as everywhere the shell prints an accuracy")
        XCTAssertTrue(RunTable.comparison(sampleRuns()).isNumericColumn(6))
        XCTAssertFalse(RunTable.comparison(sampleRuns()).isNumericColumn(1))
    }

    /// Precision, recall and F1 by hand: with 9 of 10 right the one miss is a 'lie' window predicted 'walk'
    /// (P = 3/4, 3/3, 3/3; R = 1, 1, 3/4); with 7 of 10 the last three 'lie' windows are predicted 'walk'.
    func testComparisonFiguresAreTheRunsMetrics() {
        let rows = RunTable.comparison(sampleRuns()).rows
        XCTAssertEqual(rows[0][8], .number((0.75 + 1 + 1) / 3, digits: 3))
        XCTAssertEqual(rows[0][9], .number((1 + 1 + 0.75) / 3, digits: 3))
        XCTAssertEqual(rows[1][6], .percentage(0.7))
        XCTAssertEqual(rows[1][10], .number((2.0 * 0.5 / 1.5 + 1 + 2.0 * 0.25 / 1.25) / 3, digits: 3))
    }

    func testMarkdownEscapesPipesAndMarksNumericColumns() {
        let markdown = RunTable.runs(sampleRuns()).rendered(as: .markdown)
        let lines = markdown.split(separator: "\n")
        XCTAssertEqual(lines[0], "| run | kind | of | dataset | window | split | model | from run | from checkpoint | label | optimizer | lr | batch | wd | dropout "
                       + "| schedule | warm-up | smoothing | ema | augmentation | class weights | sampler | stem lr "
                       + "| seed | trained in | changes | epochs | status | accuracy | ± acc | F1 | ± F1 | train s | started |")
        XCTAssertEqual(lines[1], "|---:|---|---|---|---|---|---|---|---|---|---|---:|---:|---:|---|---|---|---:|---|---|---|---|---:|---|---|---|---:|---|---:|---|---:|---|---:|---|")
        XCTAssertEqual(lines[3], #"| 2 | train | – | wisdm | – | – | cnn | – | – | a, "b" \| c | adamw | 0.001 | 128 | 0.001 | – | step | – | 0 | – | – | – | shuffle | 1 "#
                       + "| 0 | bfloat16 | – | 3 | finished | 70.00% | – | 0.689 | – | 12.3 | 2027-01-15 08:00 |")
        XCTAssertEqual(lines.count, 5)
    }

    func testCSVQuotesAndKeepsFullPrecision() {
        let csv = RunTable.runs(sampleRuns()).rendered(as: .csv)
        let lines = csv.components(separatedBy: "\r\n")
        XCTAssertEqual(lines[0], "id,kind,group,dataset,window,split,model,source_run,source_checkpoint,label,optimizer,lr,batch,weight_decay,dropout,"
                       + "schedule,warmup,label_smoothing,ema,augmentation,class_weights,sampler,stem_lr,seed,train_precision,"
                       + "changes,epochs,status,accuracy,accuracy_std,f1_macro,f1_macro_std,train_seconds,started")
        XCTAssertEqual(lines[2], #"2,train,,wisdm,,,cnn,,,"a, ""b"" | c",adamw,0.001,128,0.001,,step,,0.0,,,,shuffle,1.0,0,bfloat16,,3,finished,0.7,,0.6888888888888888,,12.34,2027-01-15 08:00"#)
        XCTAssertEqual(lines[3], "3,train,,dsads,,,sa+lstm,,,,adamw,0.0005,128,0.001,,step,,0.0,,,,shuffle,1.0,0,,,3,running,,,,,12.34,2027-01-15 08:00")
        XCTAssertEqual(lines.last, "")
    }

    func testJSONIsAnArrayOfObjectsWithNumbersAndNulls() throws {
        let json = RunTable.comparison(sampleRuns()).rendered(as: .json)
        let objects = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        XCTAssertEqual(objects.count, 3)
        XCTAssertEqual(objects[0]["accuracy"] as? Double, 0.9)
        XCTAssertEqual(objects[0]["id"] as? Int, 1)
        XCTAssertEqual(objects[0]["throughput_windows_per_s"] as? Double, 4567.8)
        XCTAssertTrue(objects[2]["accuracy"] is NSNull)
        XCTAssertEqual(objects[2]["model"] as? String, "sa+lstm")
    }

    func testSideBySideAddsTheSettingsThatDiffer() {
        let table = RunTable.comparison(Array(sampleRuns().prefix(2)), differingSettings: true)
        XCTAssertEqual(table.columns.last?.key, "learningRate")
        XCTAssertEqual(table.rows.map { $0.last }, [.text("0.0005"), .text("0.001")])
        XCTAssertEqual(RunTable.comparison(sampleRuns(), differingSettings: false).columns.count, 16)
        XCTAssertEqual(RunTable.comparison(sampleRuns()).rows[1][5], .text("adamw lr 0.001 batch 128 wd 0.001 seed 0"))
    }

    /// A run trained with `recipe robust`, balanced class weights and sampler and a frozen stem, started from run 4's
    /// checkpoint: `runs` gives each of those settings its own column and `compare`'s settings cell names each one
    /// (the reference recipe's runs above name none of them).
    func testRecipeSettingsAndTheSourceShowInRunsAndCompare() throws {
        var run = sampleRuns()[0]
        run.config = TrainingRecipe.robust.configured(run.config)
        run.config.classWeights = .balanced
        run.config.sampler = .balanced
        run.config.stemLearningRate = 0
        run.augmentation = "rotate=15"
        run.source = ModelSource(run: 4, checkpoint: "/runs/sa.ckpt")
        let table = RunTable.runs([run])
        let cells = Dictionary(uniqueKeysWithValues: zip(table.columns.map(\.key), table.rows[0].map(\.display)))
        XCTAssertEqual(cells["source_run"], "4")
        XCTAssertEqual(cells["source_checkpoint"], "/runs/sa.ckpt")
        XCTAssertEqual(cells["dropout"], "0.3")
        XCTAssertEqual(cells["schedule"], "cosine")
        XCTAssertEqual(cells["warmup"], "1")
        XCTAssertEqual(cells["label_smoothing"], "0.1")
        XCTAssertEqual(cells["ema"], "0.99")
        XCTAssertEqual(cells["class_weights"], "balanced")
        XCTAssertEqual(cells["sampler"], "balanced")
        XCTAssertEqual(cells["stem_lr"], "0")
        XCTAssertEqual(RunTable.comparison([run]).rows[0][5].display,
                       "adamw lr 0.0005 batch 128 wd 0.001 dropout 0.3 schedule cosine warmup 1 label_smoothing 0.1 ema 0.99 "
                       + "class_weights balanced sampler balanced stem_lr 0 augment rotate=15 seed 0 from #4 (/runs/sa.ckpt)")
        run.source = ModelSource(checkpoint: "/runs/sa.ckpt")
        XCTAssertTrue(RunTable.comparison([run]).rows[0][5].display.hasSuffix("seed 0 from /runs/sa.ckpt"))
        XCTAssertEqual(RunTable.runs([run]).rows[0][7], .missing, "a file's source names no run")
    }

    func testNonFiniteLossesReadAsNaNAndInfinity() {
        XCTAssertEqual(TableValue.number(.nan, digits: 4).display, "nan")
        XCTAssertEqual(TableValue.number(-.infinity, digits: 4).exact, "-inf")
        XCTAssertEqual(TableValue.number(.infinity, digits: 4).json, "\"inf\"")
        XCTAssertEqual(TableValue.text("a\"b\\\n").json, #""a\"b\\\n""#)
    }
}

final class RunTableFileTests: IsolatedTestCase {
    func testTableIsWrittenWholeOrNotAtAll() throws {
        let folder = try makeTemporaryFolder(self)
        let table = RunTable(columns: [.init(key: "id", title: "run")], rows: [[.integer(1)]])
        let url = folder.appendingPathComponent("runs.csv")
        try table.write(as: .csv, to: url)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "id\r\n1\r\n")
        XCTAssertThrowsError(try table.write(as: .csv, to: folder.appendingPathComponent("missing/runs.csv"))) { error in
            XCTAssertTrue("\(error)".hasPrefix("cannot write the csv table: cannot write '\(folder.path)/missing/runs.csv'"), "\(error)")
        }
        XCTAssertThrowsError(try table.write(as: .json, to: folder)) { error in
            XCTAssertEqual("\(error)", "cannot write the json table to '\(folder.path)': it is a folder")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["runs.csv"])
    }
}

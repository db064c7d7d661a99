import XCTest
@testable import HARKit
@testable import HARShell
import TestSupport

/// The `train` and `eval` views on hand-made figures.
final class ReportViewTests: IsolatedTestCase {
    private func record(epoch: Int, validation: Bool) -> EpochRecord {
        EpochRecord(epoch: epoch, trainLoss: 0.61234, penaltyLoss: 0, trainAccuracy: 0.8125,
                    validationLoss: validation ? 0.7 : nil, validationAccuracy: validation ? 0.75 : nil,
                    validationMacroF1: validation ? 0.7321 : nil, learningRate: 5e-4, seconds: 12.34, windowsPerSecond: 250)
    }

    func testEpochLineLinesUpUnderTheHeader() {
        let line = TrainingView.line(record(epoch: 3, validation: true))
        XCTAssertEqual(line, "    3  0.6123      81.3%    75.0%   0.732   5.0e-04    12.3")
        XCTAssertEqual(line.count, TrainingView.header.count)
        XCTAssertEqual(TrainingView.line(record(epoch: 12, validation: false)), "   12  0.6123      81.3%        —       —   5.0e-04    12.3")
    }

    func testEpochResultUsesTheContractFieldNames() {
        let result = TrainCommand.Epoch(record: record(epoch: 2, validation: false)).result
        XCTAssertEqual(result.fields.map(\.0), ["epoch", "train_loss", "penalty_loss", "train_accuracy", "val_loss", "val_accuracy",
                                                "val_macro_f1", "lr", "seconds", "windows_per_s"])
        XCTAssertEqual(result["val_accuracy"], .null)
        XCTAssertEqual(result["epoch"], .int(2))
    }

    func testNumberFormatting() {
        XCTAssertEqual(TrainingView.fixed(0.12345, 3), "0.123")
        XCTAssertEqual(TrainingView.fixed(-1.05, 1), "-1.1")
        XCTAssertEqual(TrainingView.fixed(2, 0), "2")
        XCTAssertEqual(TrainingView.scientific(1e-3), "1.0e-03")
        XCTAssertEqual(TrainingView.scientific(0.000999999), "1.0e-03")
        XCTAssertEqual(TrainingView.scientific(250), "2.5e+02")
    }

    /// A diverging but finite loss (2^63 and beyond trapped the conversion to Int) prints in scientific notation
    /// and the epoch line keeps the header's columns.
    func testHugeFiniteValuesFormatWithoutTrappingAndKeepTheColumns() {
        XCTAssertEqual(TrainingView.fixed(9.3e18, 4), "9.3e+18")
        XCTAssertEqual(TrainingView.fixed(-Double.greatestFiniteMagnitude, 1), "-1.8e+308")
        XCTAssertEqual(TrainingView.fixed(1_234_567, 2), "1.2e+06")
        XCTAssertEqual(TrainingView.fixed(999_999.5, 1), "999999.5")
        XCTAssertEqual(TrainingView.fixed(0.5, 40), "0.500000000", "decimals are capped at 9")
        XCTAssertEqual(TrainingView.fixed(.infinity, 4), "inf")
        var diverging = record(epoch: 7, validation: true)
        diverging.trainLoss = 4e30
        let line = TrainingView.line(diverging)
        XCTAssertEqual(line, "    7 4.0e+30      81.3%    75.0%   0.732   5.0e-04    12.3")
        XCTAssertEqual(line.count, TrainingView.header.count)
        diverging.trainLoss = 12_345.678
        XCTAssertEqual(TrainingView.line(diverging), "    7 12345.7      81.3%    75.0%   0.732   5.0e-04    12.3",
                       "a value is fitted to its column (fewer decimals) instead of pushing the others right")
    }

    func testStopWords() {
        XCTAssertEqual(TrainingView.stopWord(.earlyStopped(bestEpoch: 4)), "early_stopping")
        XCTAssertEqual(TrainingView.stopWord(.cancelled), "interrupted")
    }

    func testEvaluationReportAndResult() {
        // 2 classes: walking 8 right, 2 as sitting; sitting 5 right.
        // walking: P = 8/8 = 1, R = 0.8, F1 = 0.889; sitting: P = 5/7 = 0.714, R = 1, F1 = 0.833.
        let metrics = ClassificationMetrics(confusion: ConfusionMatrix(labels: Array(repeating: 0, count: 10) + Array(repeating: 1, count: 5),
                                                                       predictions: Array(repeating: 0, count: 8) + [1, 1] + Array(repeating: 1, count: 5),
                                                                       classes: 2),
                                            classNames: ["walking", "sitting"])
        let evaluation = EvalCommand.Evaluation(split: "test", metrics: metrics, timing: nil)
        let lines = evaluation.lines(in: TextLayout(style: Style(colour: false)))
        XCTAssertEqual(lines[0], "test: accuracy 86.67%  macro P/R/F1 0.857/0.900/0.861  weighted F1 0.870")
        XCTAssertEqual(lines[3], "walking      1.000   0.800  0.889       10")
        XCTAssertEqual(lines[4], "sitting      0.714   1.000  0.833        5")
        XCTAssertTrue(lines.contains("walking" + String(repeating: " ", count: 16) + "8" + String(repeating: " ", count: 7) + "2   80.0%"),
                      lines.joined(separator: "\n"))
        let result = evaluation.result
        XCTAssertEqual(result["confusion"], .array([.array([.int(8), .int(2)]), .array([.int(0), .int(5)])]))
        XCTAssertEqual(result["per_class"]?.arrayValue?.first?["class"], .string("walking"))
        XCTAssertEqual(result["f1_macro"]?.doubleValue ?? 0, (16.0 / 18 + 10.0 / 12) / 2, accuracy: 1e-12)
        XCTAssertEqual(result["latency_ms_p50"], .null)
    }
}

import Foundation
import Torch
import XCTest
@testable import HARKit
import TestSupport

/// The stream path's core: a stream's predictions are the model's batch predictions on the same windows; the hop,
/// normalisation, resampling, gaps and bad samples behave as documented. Tiny model and synthetic signals (< 1 s).
final class StreamRecognizerTests: IsolatedTestCase {
    private let shape = InputShape(time: 20, channels: 3, classes: 4)
    private let normalization = StreamConfiguration.Normalization(mean: [0.5, -1, 2], std: [2, 0.5, 4])

    private func configuration(hop: Int = 5) -> StreamConfiguration {
        StreamConfiguration(classNames: ["a", "b", "c", "d"], channelNames: ["x", "y", "z"], modelRate: 25,
                            windowLength: shape.time, hop: hop, normalization: normalization)
    }

    private func model() throws -> any HARModel { try ModelFactory.make(try ModelSpec("sa", options: ["width": "4"]), input: shape, seed: 7) }

    /// A raw (not normalised) signal of `count` samples whose windows the model tells apart.
    private func signal(_ count: Int) -> [[Float]] {
        (0..<count).map { i in
            (0..<3).map { c -> Float in
                let wave: Double = sin(Double(i) * 0.3 * Double(c + 1)) * 3
                let saw: Double = Double(i % 17) * 0.2
                return Float(wave + saw - Double(c))
            }
        }
    }

    func testStreamPredictionsEqualTheModelsBatchPredictionsOnTheSameWindows() throws {
        let model = try model(), samples = signal(100)
        model.setTraining(true)  // the recognizer must switch to evaluation mode itself, and back
        let recognizer = try StreamRecognizer(model: model, configuration: configuration(hop: 5))
        var predictions: [StreamPrediction] = []
        for sample in samples { predictions += try recognizer.feed(sample: sample, timestamp: nil) }
        XCTAssertTrue(model.isTraining, "the model's mode is put back")
        let starts = Array(stride(from: 0, through: 100 - 20, by: 5))
        XCTAssertEqual(predictions.count, starts.count)
        // The same windows, normalised independently and classified as one batch.
        let windows = starts.flatMap { start in
            samples[start..<start + 20].flatMap { row in (0..<3).map { (row[$0] - normalization.mean[$0]) / normalization.std[$0] } }
        }
        model.setTraining(false)
        let logits = try withInferenceMode { try model(Tensor(windows, shape: [starts.count, 1, 20, 3])).scalars(as: Float.self) }
        model.setTraining(true)
        for (index, prediction) in predictions.enumerated() {
            let row = Array(logits[index * 4..<(index + 1) * 4])
            XCTAssertEqual(prediction.activity, row.indices.max { row[$0] < row[$1] })
            XCTAssertEqual(prediction.sampleIndex, starts[index] + 19)
            XCTAssertEqual(prediction.time, Double(starts[index] + 19) / 25, accuracy: 1e-12)
            let exps = row.map { exp(Double($0)) }, total = exps.reduce(0, +)
            // Batch 1 against batch 17 in float32: kernels may sum in another order; 1e-4 is far above that spread.
            for (p, e) in zip(prediction.probabilities, exps) { XCTAssertEqual(p, e / total, accuracy: 1e-4) }
            XCTAssertEqual(prediction.confidence, prediction.probabilities.max())
        }
    }

    func testMajorityAndMinimumDurationSmoothing() {
        var majority = PredictionSmoother(rule: .majority(3))
        XCTAssertEqual([0, 1, 1, 0, 2, 2, 2, 0].map { majority.smooth($0) }, [0, 0, 1, 1, 1, 2, 2, 2])
        var duration = PredictionSmoother(rule: .minimumDuration(3))
        XCTAssertEqual([0, 1, 1, 0, 1, 1, 1, 2, 1].map { duration.smooth($0) }, [0, 0, 0, 0, 0, 0, 1, 1, 1])
        var none = PredictionSmoother(rule: .none)
        XCTAssertEqual([3, 1, 2].map { none.smooth($0) }, [3, 1, 2])
        XCTAssertEqual(try SmoothingRule(parsing: "min:4"), .minimumDuration(4))
        XCTAssertThrowsError(try SmoothingRule(parsing: "majority:0")) { XCTAssertTrue("\($0)".contains("majority:0")) }
    }

    func testParserMatchesAHeaderByNameAndReadsTheTimestamp() throws {
        var parser = SampleLineParser(channelNames: ["x", "y", "z"])
        XCTAssertNil(try parser.parse("time, z, x, y"))
        XCTAssertEqual(parser.layout?.hasTimestamp, true)
        XCTAssertEqual(parser.layout?.reordered, true)
        XCTAssertNil(try parser.parse("   "))
        XCTAssertNil(try parser.parse("# a comment"))
        XCTAssertEqual(try parser.parse("0.04,3,1 2"), SampleLineParser.Sample(values: [1, 2, 3], timestamp: 0.04, line: 4))
        XCTAssertThrowsError(try parser.parse("0.08,3,oops,2")) { XCTAssertEqual($0 as? MalformedSample, MalformedSample(line: 5, "'oops' (x) is not a finite number")) }
        XCTAssertThrowsError(try parser.parse("0.08,3,1")) { XCTAssertEqual(($0 as? MalformedSample)?.line, 6) }
        XCTAssertThrowsError(try parser.parse("0.08,nan,1,2")) { XCTAssertTrue($0 is MalformedSample) }
        XCTAssertThrowsError(try parser.parse("0.08,3,,2")) { XCTAssertEqual($0 as? MalformedSample, MalformedSample(line: 8, "no value for x")) }
        XCTAssertThrowsError(try parser.parse("0.08,3,1,2,")) { XCTAssertEqual($0 as? MalformedSample, MalformedSample(line: 9, "an empty value")) }
        XCTAssertEqual(try parser.parse(" 0.12 ; 6 ; 4 ; 5 ")?.values, [4, 5, 6])
    }

    func testParserRefusesAHeaderOrFirstLineThatDoesNotFitTheModel() {
        var missing = SampleLineParser(channelNames: ["x", "y", "z"])
        XCTAssertThrowsError(try missing.parse("x,y")) { XCTAssertEqual("\($0)", "line 1: the header lacks 1 channel of the model: z") }
        var unknown = SampleLineParser(channelNames: ["x", "y", "z"])
        XCTAssertThrowsError(try unknown.parse("x,y,w")) { XCTAssertTrue("\($0)".contains("'w' is not one of the model's channels")) }
        var count = SampleLineParser(channelNames: ["x", "y", "z"])
        XCTAssertThrowsError(try count.parse("1,2,3,4,5")) { XCTAssertTrue($0 is StreamError && "\($0)".contains("5 values, but the model reads 3 channels")) }
        var plain = SampleLineParser(channelNames: ["x", "y", "z"])
        XCTAssertEqual(try plain.parse("1 2 3")?.values, [1, 2, 3])
        XCTAssertEqual(plain.layout?.hasTimestamp, false)
    }

    func testAFiftyHertzStreamIsResampledToTheModelsRateByLinearInterpolation() throws {
        var adapter = StreamRateAdapter(modelRate: 25, declaredRate: nil, policy: .resample)
        var out: [StreamRateAdapter.TimedSample] = []
        for i in 0..<41 { out += try adapter.push((1 + Double(i) / 50, [Float(i) * 0.5 + 0.25 * Float(i % 2)]), timestamped: true) }
        XCTAssertEqual(adapter.rate?.hertz ?? 0, 50, accuracy: 1e-9)  // the median of float intervals of 1/50 s
        XCTAssertEqual(adapter.rate?.source, .measured)
        XCTAssertEqual(adapter.rate?.resampled, true)
        XCTAssertEqual(out.map(\.time).count, 21)
        for (k, sample) in out.enumerated() {
            XCTAssertEqual(sample.time, 1 + Double(k) / 25, accuracy: 1e-9)
            XCTAssertEqual(Double(sample.values[0]), Double(2 * k) * 0.5, accuracy: 1e-4)  // even samples lie on the grid
        }
        var refusing = StreamRateAdapter(modelRate: 25, declaredRate: 50, policy: .refuse)
        XCTAssertThrowsError(try refusing.push((0, [1]), timestamped: false)) { XCTAssertTrue("\($0)".contains("runs at 50 Hz but the model at 25 Hz")) }
        var disagreeing = StreamRateAdapter(modelRate: 25, declaredRate: 25, policy: .resample)
        XCTAssertThrowsError(try (0..<9).forEach { _ = try disagreeing.push((Double($0) / 100, [1]), timestamped: true) }) {
            XCTAssertTrue("\($0)".contains("declared as 25 Hz but the timestamps run at 100 Hz"))
        }
    }

    func testAGapLongerThanAWindowRestartsTheWindow() throws {
        let recognizer = try StreamRecognizer(model: try model(), configuration: configuration(hop: 10))
        let samples = signal(60)
        var predictions: [StreamPrediction] = []
        for i in 0..<30 { predictions += try recognizer.feed(sample: samples[i], timestamp: Double(i) / 25) }
        XCTAssertEqual(predictions.map(\.sampleIndex), [19, 29])
        for i in 30..<60 { predictions += try recognizer.feed(sample: samples[i], timestamp: 100 + Double(i) / 25) }
        XCTAssertEqual(recognizer.restarts, 1)
        XCTAssertEqual(predictions.map(\.sampleIndex), [19, 29, 49, 59], "the window refills from the first sample after the gap")
        XCTAssertThrowsError(try recognizer.feed(sample: samples[0], timestamp: 100)) { XCTAssertTrue($0 is MalformedSample) }
        XCTAssertThrowsError(try recognizer.feed(sample: [1, 2], timestamp: 200)) { XCTAssertTrue($0 is StreamError) }
        XCTAssertThrowsError(try recognizer.feed(sample: samples[0], timestamp: nil)) { XCTAssertTrue($0 is StreamError) }
    }
}

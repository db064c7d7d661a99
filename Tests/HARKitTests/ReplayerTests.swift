import Foundation
import XCTest
@testable import HARKit
import TestSupport

/// `Replayer` feeds a recording through the stream path: every window at the dataset's stride, paced by the speed,
/// stopped where asked. An untrained tiny model on the synthetic data (about a second each).
final class ReplayerTests: IsolatedTestCase {
    private func replayer(_ selection: ReplaySource.Selection, speed: ReplaySpeed) throws -> Replayer {
        let dataset = try DatasetCatalog.load("synthetic")
        let model = try ModelFactory.make(try ModelSpec("sa", options: ["width": "4", "depth": "1"]),
                                          input: InputShape(time: 128, channels: 6, classes: 6), seed: 7)
        var configuration = StreamConfiguration(dataset: dataset)
        configuration.smoothing = .none
        return Replayer(source: try ReplaySource(dataset, selection: selection),
                        recognizer: try StreamRecognizer(model: model, configuration: configuration), speed: speed)
    }

    func testEveryWindowOfARecordingIsPredictedAtItsLastSample() throws {
        var predictions: [(StreamPrediction, Int)] = []
        var replayer = try replayer(.recording(91), speed: .max)
        replayer.onPrediction = { predictions.append(($0, $1)) }
        let outcome = try replayer.run()
        XCTAssertFalse(outcome.stopped)
        XCTAssertEqual(outcome.timeline.truth, [Int](repeating: 0, count: 1472), "recording 91 is subject 16 walking")
        XCTAssertEqual(outcome.timeline.predictions.map(\.sample), (0..<22).map { $0 * 64 + 127 })
        XCTAssertEqual(outcome.timeline.predictions.map(\.label), predictions.map(\.0.activity))
        XCTAssertEqual(predictions.map(\.1), [Int](repeating: 0, count: 22), "each prediction comes with its truth")
    }

    /// 1472 samples at 50 Hz are 29.44 s of recording: at 100× at least 0.29 s.
    func testASpeedFactorPacesTheSamples() throws {
        let outcome = try replayer(.recording(91), speed: .times(100)).run()
        XCTAssertGreaterThanOrEqual(outcome.seconds, 0.29)
        XCTAssertEqual(outcome.timeline.predictions.count, 22)
    }

    func testStoppingEndsTheTimelineAtTheLastSampleFed() throws {
        var replayer = try replayer(.subject(16), speed: .max)
        var polls = 0
        replayer.shouldStop = { polls += 1; return polls > 1000 }
        let outcome = try replayer.run()
        XCTAssertTrue(outcome.stopped)
        XCTAssertEqual(outcome.timeline.truth.count, 1000)
        XCTAssertEqual(outcome.timeline.predictions.map(\.sample), (0..<14).map { $0 * 64 + 127 })
    }
}

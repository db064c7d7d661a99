import Foundation
import GRDB
import Torch
import XCTest
@testable import HARKit
import TestSupport

/// `RunRecorder` writes each epoch the moment it finishes, ends runs the way training ended, and never lets a failing
/// store fail the training it records.
final class RunRecorderTests: IsolatedTestCase {
    static let dataset: HARDataset = try! everyFourthWindow(of: DatasetCatalog.load("synthetic", from: nil, options: [:], dataDirectory: nil))

    private func makeTrainer() throws -> Trainer {
        Runtime.manualSeed(3)
        let input = InputShape(time: Self.dataset.windowLength, channels: Self.dataset.channelCount, classes: Self.dataset.classNames.count)
        var config = TrainingConfig()
        config.batchSize = 256
        return try Trainer(model: try ModelFactory.make(try ModelSpec("sa", options: ["width": "2", "depth": "1"]), input: input),
                           dataset: Self.dataset, config: config)
    }

    /// Recording after `train` returned (the old way) fails this: when epoch 2's event arrives, epochs 1 and 2 must
    /// already be in the store, so a process killed during epoch 3 keeps them.
    func testEachEpochIsInTheStoreWhenItsEventArrives() throws {
        let store = try RunStore(url: try makeTemporaryFolder(self).appendingPathComponent("runs.sqlite"))
        let recorder = RunRecording(store: store).begin(RunStart(dataset: Self.dataset, model: try ModelSpec("sa"), config: TrainingConfig()))
        let id = try XCTUnwrap(recorder.runID)
        var seenInStore: [Int] = []
        let outcome = try recorder.train(try makeTrainer(), epochs: 3, events: { event in
            if case .epochFinished = event { seenInStore.append((try? store.epochs(of: id).count) ?? -1) }
        })
        XCTAssertEqual(seenInStore, [1, 2, 3])
        XCTAssertEqual(try store.runs().first?.status, .running, "the run stays running until it is ended")
        recorder.end(after: outcome)
        let run = try XCTUnwrap(try store.runs().first)
        XCTAssertEqual(run.status, .finished)
        XCTAssertEqual(run.trainSeconds, outcome.records.reduce(0) { $0 + $1.seconds }, accuracy: 1e-9)
        XCTAssertEqual(try store.epochs(of: id).map(\.epoch), [1, 2, 3])
    }

    /// A continued run (`train` again on the same model) is running again while it trains, then ends with all its epochs.
    func testAResumedRunIsRunningAgainAndKeepsEveryEpoch() throws {
        let store = try RunStore(url: try makeTemporaryFolder(self).appendingPathComponent("runs.sqlite"))
        let recording = RunRecording(store: store)
        let trainer = try makeTrainer()
        let first = recording.begin(RunStart(dataset: Self.dataset, model: try ModelSpec("sa"), config: TrainingConfig()))
        first.end(after: try first.train(trainer, epochs: 1))
        let id = try XCTUnwrap(first.runID)
        let second = recording.resume(id, earlierSeconds: first.trainSeconds)
        var statusWhileTraining: RunStatus?
        let outcome = try second.train(trainer, epochs: 1, events: { event in
            if case .epochFinished = event { statusWhileTraining = try? store.runs().first?.status }
        })
        second.end(after: outcome)
        XCTAssertEqual(statusWhileTraining, .running)
        XCTAssertEqual(try store.epochs(of: id).map(\.epoch), [1, 2])
        XCTAssertEqual(try store.runs().first?.status, .finished)
        XCTAssertEqual(try store.runs().first?.trainSeconds ?? 0, trainer.history.reduce(0) { $0 + $1.seconds }, accuracy: 1e-9)
    }

    /// The one failure policy: a store that refuses writes does not fail or stop the training, and is reported once.
    func testAFailingStoreNeverFailsTheTrainingAndIsReportedOnce() throws {
        let url = try makeTemporaryFolder(self).appendingPathComponent("runs.sqlite")
        let store = try RunStore(url: url)
        var problems: [RunStoreError] = []
        let recorder = RunRecording(store: store) { problems.append($0) }.begin(RunStart(dataset: Self.dataset, model: try ModelSpec("sa"), config: TrainingConfig()))
        let queue = try DatabaseQueue(path: url.path)
        try queue.write { try $0.execute(sql: "CREATE TRIGGER refuse BEFORE INSERT ON epochs BEGIN SELECT RAISE(ABORT, 'refused'); END") }
        let outcome = try recorder.train(try makeTrainer(), epochs: 2)
        recorder.end(after: outcome)
        XCTAssertEqual(outcome.records.count, 2, "training ran every epoch")
        XCTAssertEqual(problems.count, 1, "reported once: \(problems)")
        XCTAssertTrue(problems.first?.message.contains("refused") == true, "\(problems)")
        XCTAssertNotNil(recorder.problem)
        XCTAssertEqual(try store.runs().first?.status, .running, "after the first failure the recorder writes nothing more")
    }

    /// A store that could not be opened is reported for every run begun, and nothing is thrown.
    func testAnUnavailableStoreIsReportedForEachRun() throws {
        var problems: [String] = []
        let recording = RunRecording(store: nil, unavailable: RunStoreError("cannot open it")) { problems.append($0.message) }
        let recorders = try (0..<2).map { _ in recording.begin(RunStart(dataset: Self.dataset, model: try ModelSpec("sa"), config: TrainingConfig())) }
        XCTAssertEqual(problems, ["cannot open it", "cannot open it"])
        XCTAssertTrue(recorders.allSatisfy { $0.runID == nil })
        XCTAssertTrue(RunRecording.none.begin(RunStart(dataset: Self.dataset, model: try ModelSpec("sa"), config: TrainingConfig())).runID == nil)
    }
}

import Foundation
import Torch
import XCTest
@testable import HARKit
import TestSupport

final class RunsCrossValidationTests: IsolatedTestCase {
    static let raw: HARDataset = try! everyFourthWindow(of: DatasetCatalog.load("synthetic", from: nil, options: ["normalize": "off"], dataDirectory: nil))
    static let normalized: HARDataset = try! everyFourthWindow(of: DatasetCatalog.load("synthetic", from: nil, options: [:], dataDirectory: nil))

    func testFoldsCoverEverySubjectOnce() throws {
        let subjects = Array(1...7)
        let loso = try CrossValidation(folds: .leaveOneSubjectOut, epochs: 1).testSubjects(of: subjects + subjects, seed: 0)
        XCTAssertEqual(loso, subjects.map { [$0] })
        let three = try CrossValidation(folds: .subjectGroups(3), epochs: 1).testSubjects(of: subjects, seed: 9)
        XCTAssertEqual(three.map(\.count), [3, 2, 2])
        XCTAssertEqual(three.flatMap { $0 }.sorted(), subjects)
        XCTAssertEqual(try CrossValidation(folds: .subjectGroups(3), epochs: 1).testSubjects(of: subjects, seed: 9), three, "seeded")
        XCTAssertThrowsError(try CrossValidation(folds: .subjectGroups(8), epochs: 1).testSubjects(of: subjects, seed: 0)) {
            XCTAssertEqual("\($0)", "8 folds need at least 8 subjects, the dataset has 7")
        }
        XCTAssertThrowsError(try CrossValidation(folds: .subjectGroups(1), epochs: 1))
    }

    func testFoldNormalisationIsRefittedOnTheFoldsTrainingSubjectsOnly() throws {
        var config = TrainingConfig()
        config.validationFraction = 0.2
        let fromNormalized = try CrossValidation.foldDataset(Self.normalized, testSubjects: [3, 17], config: config)
        let fromRaw = try CrossValidation.foldDataset(Self.raw, testSubjects: [3, 17], config: config)
        XCTAssertEqual(fromNormalized.splits, fromRaw.splits)
        XCTAssertEqual(Set(fromNormalized.subjects(in: .test)), [3, 17])
        XCTAssertEqual(fromNormalized.subjects(in: .validation).count, 4, "20 % of the 18 other subjects")
        XCTAssertTrue(Set(fromNormalized.subjects(in: .validation)).isDisjoint(with: [3, 17]))
        XCTAssertFalse(fromRaw.protocolDescription.normalized, "data loaded without normalisation stays unscaled")

        var refitted = Self.raw
        refitted.protocolDescription.normalized = true
        refitted.protocolDescription.mean = Array(repeating: 0, count: refitted.channelCount)
        refitted.protocolDescription.std = Array(repeating: 1, count: refitted.channelCount)
        let fold = try CrossValidation.foldDataset(refitted, testSubjects: [3, 17], config: config)
        let channels = fold.channelCount, size = fold.windowSize
        var sums = [Double](repeating: 0, count: channels), squares = sums, count = 0.0
        for window in fold.indices(in: .train) + fold.indices(in: .validation) {
            for offset in 0..<size {
                let value = Double(fold.windows[window * size + offset])
                sums[offset % channels] += value
                squares[offset % channels] += value * value
            }
            count += Double(fold.windowLength)
        }
        for c in 0..<channels {
            XCTAssertEqual(sums[c] / count, 0, accuracy: 1e-3, "channel \(c) has mean 0 over the fold's training windows")
            XCTAssertEqual(squares[c] / count, 1, accuracy: 1e-3, "channel \(c) has variance 1 over the fold's training windows")
        }
        let first = fold.indices(in: .test)[0], c = 2
        let expected = (Self.raw.windows[first * size + c] - fold.protocolDescription.mean[c]) / fold.protocolDescription.std[c]
        XCTAssertEqual(fold.windows[first * size + c], expected, accuracy: 1e-5, "test windows use the training statistics")
        XCTAssertNotEqual(fold.protocolDescription.mean, ChannelStatistics.fit(Self.raw.windows, rows: Self.raw.count * Self.raw.windowLength, channels: channels).mean,
                          "the held-out subjects are not part of the fit")
    }

    func testMeanAndSampleStandardDeviationOverFolds() {
        func fold(_ correct: Int) -> CrossValidationFold {
            CrossValidationFold(index: correct, testSubjects: [correct], testWindows: 10, metrics: sampleMetrics(correct: correct), history: [], runID: nil)
        }
        let result = CrossValidationResult(folds: [fold(7), fold(8), fold(9)], scheme: .leaveOneSubjectOut, cancelled: false)
        XCTAssertEqual(result.meanAccuracy, 0.8, accuracy: 1e-12)
        XCTAssertEqual(result.stdAccuracy, 0.1, accuracy: 1e-12, "sqrt(((-0.1)² + 0 + 0.1²) / 2)")
        XCTAssertEqual(result.table.rows.count, 5)
        XCTAssertEqual(result.table.rows[3][0], .text("mean"))
        XCTAssertEqual(result.table.rows[4][3].display, "10.00%")
        XCTAssertTrue(result.summary.hasPrefix("accuracy 80.00% ± 10.00%, macro F1 "), result.summary)
        XCTAssertTrue(result.summary.hasSuffix(" over 3 folds (leave-one-subject-out)"), result.summary)
    }

    func testEveryFoldIsTrainedEvaluatedAndRecorded() throws {
        let store = try RunStore(url: try makeTemporaryFolder(self).appendingPathComponent("runs.sqlite"))
        var config = TrainingConfig()
        config.seed = 3
        config.batchSize = 64
        config.learningRate = 3e-3
        let cv = try CrossValidation(folds: .subjectGroups(3), epochs: 1)
        var reported: [Int] = []
        let result = try cv.run(dataset: Self.normalized, spec: try ModelSpec("sa", options: ["width": "8"]), config: config, recording: RunRecording(store: store)) { reported.append($0.index) }
        XCTAssertEqual(reported, [1, 2, 3])
        XCTAssertEqual(result.folds.flatMap(\.testSubjects).sorted(), Array(1...20))
        XCTAssertEqual(result.folds.reduce(0) { $0 + $1.testWindows }, Self.normalized.count, "every window is tested once")
        XCTAssertTrue(result.folds.allSatisfy { $0.metrics.confusion.total == $0.testWindows })
        let whole = try store.run(try XCTUnwrap(result.runID))
        XCTAssertEqual(whole.kind, .cv)
        XCTAssertEqual(whole.status, .finished)
        XCTAssertEqual(whole.accuracy ?? -1, result.meanAccuracy, accuracy: 1e-12)
        XCTAssertEqual(whole.spread?.accuracyStd ?? -1, result.stdAccuracy, accuracy: 1e-12)
        XCTAssertEqual(whole.spread?.f1MacroStd ?? -1, result.stdF1, accuracy: 1e-12)
        XCTAssertEqual(whole.trainSeconds, result.folds.reduce(0) { $0 + $1.history.reduce(0) { $0 + $1.seconds } }, accuracy: 1e-9)
        let runs = try store.members(of: whole.id)
        XCTAssertEqual(try store.runs().count, 4, "the cross-validation and its three folds")
        XCTAssertEqual(runs.map(\.id), result.folds.map(\.runID))
        XCTAssertEqual(runs.map(\.label!).map { String($0.prefix(13)) }, ["cv fold 1/3 (", "cv fold 2/3 (", "cv fold 3/3 ("])
        XCTAssertEqual(runs.map { $0.testMetrics?.accuracy }, result.folds.map(\.metrics.accuracy))
        XCTAssertTrue(runs.allSatisfy { $0.status == .finished && $0.epochCount == 1 && $0.kind == .fold })
        XCTAssertEqual(try store.bestRuns().map(\.id), [whole.id], "the cross-validation ranks, never its luckiest fold")
    }
}

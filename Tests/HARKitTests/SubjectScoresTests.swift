import Foundation
import XCTest
@testable import HARKit
import TestSupport

/// Per-subject scores (issue 18 §3): each subject's accuracy and macro F1 worked out by hand, the spread over
/// subjects, the worst subject, and the run store keeping them.
final class SubjectScoresTests: IsolatedTestCase {
    /// Subject 1: labels 0 1 1, predicted 0 1 0 → accuracy 2/3, F1 2/3 for both classes. Subject 2: labels 0 0 1 1,
    /// predicted 0 1 1 1 → accuracy 3/4, F1 2/3 (class 0) and 4/5 (class 1), macro 11/15.
    func testEachSubjectsScoresSpreadAndWorstSubjectMatchTheHandComputation() {
        let scores = SubjectScores(labels: [0, 1, 1, 0, 0, 1, 1], predictions: [0, 1, 0, 0, 1, 1, 1], subjects: [1, 1, 1, 2, 2, 2, 2],
                                   classNames: ["a", "b"])
        XCTAssertEqual(scores.rows.map(\.subject), [1, 2])
        XCTAssertEqual(scores.rows.map(\.windows), [3, 4])
        XCTAssertEqual(scores.rows[0].accuracy, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(scores.rows[1].accuracy, 0.75, accuracy: 1e-12)
        XCTAssertEqual(scores.rows[0].f1Macro, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(scores.rows[1].f1Macro, 11.0 / 15, accuracy: 1e-12)
        XCTAssertEqual(scores.meanAccuracy, (2.0 / 3 + 0.75) / 2, accuracy: 1e-12)
        XCTAssertEqual(scores.stdAccuracy, (0.75 - 2.0 / 3) / 2.0.squareRoot(), accuracy: 1e-12, "sample std (n − 1)")
        XCTAssertEqual(scores.meanF1, (2.0 / 3 + 11.0 / 15) / 2, accuracy: 1e-12)
        XCTAssertEqual(scores.worst?.subject, 1)
        XCTAssertTrue(scores.summary.contains("worst subject 1"), scores.summary)
        XCTAssertEqual(scores.table.rows.count, 2)
    }

    /// The store keeps a run's per-subject scores (migration v5-learn) and gives them back unchanged; an unknown run fails.
    func testTheRunStoreKeepsARunsSubjectScores() throws {
        let store = try RunStore(url: FileManager.default.temporaryDirectory
            .appendingPathComponent("subjects-\(UUID().uuidString).sqlite"))
        defer { try? FileManager.default.removeItem(at: store.url) }
        let run = try store.begin(sampleStart())
        XCTAssertNil(try store.subjectScores(of: run))
        let scores = SubjectScores(labels: [0, 1, 1, 0], predictions: [0, 1, 0, 0], subjects: [3, 3, 4, 4], classNames: ["a", "b"])
        try store.setSubjectScores(of: run, scores)
        XCTAssertEqual(try store.subjectScores(of: run), scores)
        XCTAssertThrowsError(try store.subjectScores(of: run + 100))
    }
}

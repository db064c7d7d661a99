import XCTest
@testable import HARKit
import TestSupport

final class ClassificationMetricsTests: IsolatedTestCase {
    /// Worked by hand: labels [0,0,1,1,2], predictions [0,1,1,1,0], four classes, class 3 absent from both.
    func testHandComputedExampleWithAnAbsentClass() {
        let m = ClassificationMetrics(labels: [0, 0, 1, 1, 2], predictions: [0, 1, 1, 1, 0], classNames: ["a", "b", "c", "d"])
        XCTAssertEqual(m.confusion.counts, [[1, 1, 0, 0], [0, 2, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0]])
        XCTAssertEqual(m.accuracy, 0.6, accuracy: 1e-12)
        XCTAssertEqual(m.perClass.map(\.precision), [0.5, 2.0 / 3.0, 0, 0])
        XCTAssertEqual(m.perClass.map(\.recall), [0.5, 1, 0, 0])
        XCTAssertEqual(m.perClass[1].f1, 0.8, accuracy: 1e-12)
        XCTAssertEqual(m.perClass.map(\.support), [2, 2, 1, 0])
        XCTAssertEqual(m.precisionMacro, (0.5 + 2.0 / 3.0) / 3, accuracy: 1e-12)
        XCTAssertEqual(m.recallMacro, 0.5, accuracy: 1e-12)
        XCTAssertEqual(m.f1Macro, 1.3 / 3, accuracy: 1e-12)
        XCTAssertEqual(m.precisionWeighted, (1 + 4.0 / 3.0) / 5, accuracy: 1e-12)
        XCTAssertEqual(m.recallWeighted, 0.6, accuracy: 1e-12)
        XCTAssertEqual(m.f1Weighted, 0.52, accuracy: 1e-12)
        XCTAssertEqual(m.perClass[3].name, "d")
    }

    func testClassPredictedButAbsentFromLabelsCountsInMacroAverage() {
        let m = ClassificationMetrics(labels: [0, 0], predictions: [0, 1], classNames: ["x", "y"])
        XCTAssertEqual(m.perClass[0].f1, 2.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(m.perClass[1].f1, 0)
        XCTAssertEqual(m.f1Macro, 1.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(m.f1Weighted, 2.0 / 3.0, accuracy: 1e-12)
    }

    func testRowNormalizedConfusionSumsToOnePerPresentClass() {
        let c = ConfusionMatrix(labels: [0, 0, 0, 1], predictions: [0, 1, 1, 1], classes: 3)
        XCTAssertEqual(c.rowNormalized[0], [1.0 / 3.0, 2.0 / 3.0, 0])
        XCTAssertEqual(c.rowNormalized[1], [0, 1, 0])
        XCTAssertEqual(c.rowNormalized[2], [0, 0, 0])
        XCTAssertEqual(c.total, 4)
    }

    func testPercentileInterpolatesLikeNumPy() {
        XCTAssertEqual(percentile([1, 2, 3, 4], 0.5), 2.5)
        XCTAssertEqual(percentile([1, 2, 3, 4, 5], 0.95), 4.8, accuracy: 1e-12)
    }
}

import XCTest
@testable import HARKit
import TestSupport

final class DatasetsSyntheticTests: IsolatedTestCase {
    func testSyntheticDefaultProtocolShapesAndSplits() throws {
        let data = try DatasetCatalog.load("synthetic")
        XCTAssertEqual(data.count, 20 * 6 * 22)
        XCTAssertEqual(data.windowLength, 128)
        XCTAssertEqual(data.channelCount, 6)
        XCTAssertEqual(data.windows.count, data.count * 128 * 6)
        XCTAssertEqual(data.sampleRate, 50)
        XCTAssertEqual(data.classNames.count, 6)
        XCTAssertEqual(data.subjects(in: .test), [16, 17, 18, 19, 20])
        let validation = Set(data.subjects(in: .validation)), train = Set(data.subjects(in: .train))
        XCTAssertEqual(validation.count, 2, "10 % of 15 training subjects, rounded")
        XCTAssertTrue(validation.isDisjoint(with: train))
        XCTAssertEqual(validation.union(train), Set(1...15))
        XCTAssertEqual(data.classCounts(in: .test), [Int](repeating: 5 * 22, count: 6))
    }

    func testSyntheticIsDeterministicFromSeed() throws {
        let a = try DatasetCatalog.load("synthetic", options: ["seed": "3"])
        let b = try DatasetCatalog.load("synthetic", options: ["seed": "3"])
        let c = try DatasetCatalog.load("synthetic", options: ["seed": "4"])
        XCTAssertEqual(a.windows, b.windows)
        XCTAssertEqual(a.splits, b.splits)
        XCTAssertNotEqual(a.windows, c.windows)
    }

    func testSyntheticNormalisationIsFittedOnTrainingWindows() throws {
        let data = try DatasetCatalog.load("synthetic")
        let fitted = data.splits.filter { $0 != .test }.count
        for c in 0..<data.channelCount {
            var sum = 0.0, squares = 0.0
            for n in 0..<fitted {
                for t in 0..<data.windowLength {
                    let v = Double(data.windows[(n * data.windowLength + t) * data.channelCount + c])
                    sum += v; squares += v * v
                }
            }
            let rows = Double(fitted * data.windowLength)
            XCTAssertEqual(sum / rows, 0, accuracy: 1e-4)
            XCTAssertEqual(squares / rows, 1, accuracy: 1e-3)
        }
        XCTAssertEqual(data.protocolDescription.mean.count, 6)
    }

    func testSyntheticGravityIsPresentWithoutNormalisation() throws {
        let data = try DatasetCatalog.load("synthetic", options: ["normalize": "off"])
        var magnitude = 0.0
        let standing = data.labels.firstIndex(of: 5)!
        for t in 0..<data.windowLength {
            let base = (standing * data.windowLength + t) * 6
            magnitude += Double((0..<3).map { data.windows[base + $0] * data.windows[base + $0] }.reduce(0, +)).squareRoot()
        }
        XCTAssertEqual(magnitude / Double(data.windowLength), 9.81, accuracy: 0.5)
    }

    /// A nearest-class-mean classifier on per-window channel means and standard deviations, trained on the training
    /// subjects, must beat chance (1/6) clearly on the held-out subjects, yet stay below 100 %.
    func testSyntheticIsLearnableButNotTrivialOnHeldOutSubjects() throws {
        let data = try DatasetCatalog.load("synthetic")
        func features(_ n: Int) -> [Double] {
            (0..<data.channelCount).flatMap { c -> [Double] in
                let values = (0..<data.windowLength).map { Double(data.windows[(n * data.windowLength + $0) * data.channelCount + c]) }
                let mean = values.reduce(0, +) / Double(values.count)
                let sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
                return [mean, sd]
            }
        }
        var centroids = [[Double]](repeating: [Double](repeating: 0, count: 12), count: 6)
        var counts = [Double](repeating: 0, count: 6)
        for n in data.indices(in: .train) {
            let f = features(n)
            for k in 0..<12 { centroids[data.labels[n]][k] += f[k] }
            counts[data.labels[n]] += 1
        }
        centroids = centroids.enumerated().map { label, sum in sum.map { $0 / counts[label] } }
        let test = data.indices(in: .test)
        let correct = test.filter { n in
            let f = features(n)
            let distances = centroids.map { centroid in zip(f, centroid).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) }
            return distances.firstIndex(of: distances.min()!)! == data.labels[n]
        }.count
        let accuracy = Double(correct) / Double(test.count)
        XCTAssertGreaterThan(accuracy, 0.4)
        XCTAssertLessThan(accuracy, 0.99)
    }

    func testSyntheticGeneratesQuickly() throws {
        let start = Date()
        _ = try DatasetCatalog.load("synthetic")
        XCTAssertLessThan(Date().timeIntervalSince(start), 3, "debug build; release is far faster")
    }

    func testUnknownOptionListsValidKeys() {
        XCTAssertThrowsError(try DatasetCatalog.load("synthetic", options: ["windw": "10"])) { error in
            XCTAssertTrue("\(error)".contains("unknown option 'windw'"), "\(error)")
            XCTAssertTrue("\(error)".contains("window, overlap, split"), "\(error)")
        }
        XCTAssertThrowsError(try DatasetCatalog.load("synthetic", options: ["overlap": "1.5"])) { error in
            XCTAssertTrue("\(error)".contains("overlap"), "\(error)")
        }
        XCTAssertThrowsError(try DatasetCatalog.load("wisdmm")) { error in
            XCTAssertTrue("\(error)".contains("unknown dataset 'wisdmm'"), "\(error)")
        }
    }

    func testWindowLongerThanEveryRecordingIsRejected() {
        XCTAssertThrowsError(try DatasetCatalog.load("synthetic", options: ["window": "5000"])) { error in
            XCTAssertTrue("\(error)".contains("window 5000 is longer than every recording (the longest has 1500 samples)"), "\(error)")
        }
    }

    func testSplitOptionsOverrideTheReferenceSplit() throws {
        let bySubject = try DatasetCatalog.load("synthetic", options: ["split": "subjects:1,2", "validation": "0"])
        XCTAssertEqual(bySubject.subjects(in: .test), [1, 2])
        XCTAssertEqual(bySubject.indices(in: .validation), [])
        let byRatio = try DatasetCatalog.load("synthetic", options: ["split": "ratio:8:2", "validation": "0"])
        XCTAssertEqual(byRatio.indices(in: .test).count, 120 * (22 - 22 * 8 / 10))
        XCTAssertThrowsError(try DatasetCatalog.load("synthetic", options: ["split": "subjects:21"])) { error in
            XCTAssertTrue("\(error)".contains("subject 21 is absent"), "\(error)")
        }
    }

    func testRateOptionResamples() throws {
        let data = try DatasetCatalog.load("synthetic", options: ["rate": "25", "window": "64"])
        XCTAssertEqual(data.sampleRate, 25)
        XCTAssertEqual(data.count, 120 * ((750 - 64) / 32 + 1))
    }
}

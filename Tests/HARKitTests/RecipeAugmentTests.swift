import XCTest
@testable import HARKit
import TestSupport

/// The augmentations of the `robust` recipe that respect sensor placement: one rotation per sensor unit, one scale
/// factor and one magnitude curve per tri-axial sensor, and mixup between subjects.
final class RecipeAugmentTests: IsolatedTestCase {
    /// Two units of acc + gyro and one channel outside any group.
    static let names = ["T_acc_x", "T_acc_y", "T_acc_z", "T_gyro_x", "T_gyro_y", "T_gyro_z",
                        "RA_acc_x", "RA_acc_y", "RA_acc_z", "RA_gyro_x", "RA_gyro_y", "RA_gyro_z", "temperature"]

    /// `count` windows of `steps × channels` random positive values.
    private func batch(_ count: Int, _ steps: Int, _ channels: Int) -> [Float] {
        var random = SeededGenerator(seed: 11)
        return (0..<(count * steps * channels)).map { _ in abs(random.gaussian()) + 0.5 }
    }

    private func apply(_ spec: String, _ values: inout [Float], count: Int, steps: Int, names: [String] = names,
                       subjects: [Int]? = nil) throws -> AugmentationPipeline.Mix? {
        var random = SeededGenerator(seed: 5)
        return try AugmentationPipeline(parsing: spec).apply(to: &values, count: count, windowLength: steps, channels: names.count,
                                                             groups: SensorGroups(channelNames: names), subjects: subjects, using: &random)
    }

    /// value after / value before, at window n, step t, channel c.
    private func ratio(_ after: [Float], _ before: [Float], _ n: Int, _ t: Int, _ c: Int, steps: Int) -> Float {
        let index = (n * steps + t) * Self.names.count + c
        return after[index] / before[index]
    }

    func testRotationTurnsASensorUnitsTriadsTogetherAndEachUnitItsOwnWay() throws {
        let original = batch(3, 8, 13)
        var values = original
        _ = try apply("rotate=90", &values, count: 3, steps: 8)
        func vector(_ v: [Float], _ n: Int, _ t: Int, _ first: Int) -> [Float] { (0..<3).map { v[(n * 8 + t) * 13 + first + $0] } }
        func dot(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).map(*).reduce(0, +) }
        var changedAcrossUnits = 0
        for n in 0..<3 {
            for t in 0..<8 {
                // acc and gyro of one unit turn by the same rotation: the angle between them is kept, in both units
                for (acc, gyro) in [(0, 3), (6, 9)] {
                    XCTAssertEqual(dot(vector(values, n, t, acc), vector(values, n, t, gyro)),
                                   dot(vector(original, n, t, acc), vector(original, n, t, gyro)), accuracy: 1e-4)
                }
                // the two units turn by different rotations: the angle between their accelerometers changes
                if abs(dot(vector(values, n, t, 0), vector(values, n, t, 6)) - dot(vector(original, n, t, 0), vector(original, n, t, 6))) > 1e-2 {
                    changedAcrossUnits += 1
                }
                XCTAssertEqual(values[(n * 8 + t) * 13 + 12], original[(n * 8 + t) * 13 + 12], "a channel outside any unit is not rotated")
            }
        }
        XCTAssertGreaterThan(changedAcrossUnits, 20, "units rotated alike")
    }

    func testSensorScaleMultipliesEachTriaxialSensorByOneFactor() throws {
        let original = batch(2, 6, 13)
        var values = original
        _ = try apply("sensorscale=0.3", &values, count: 2, steps: 6)
        for n in 0..<2 {
            var factors: [Float] = []
            for sensor in [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 10, 11], [12]] {
                let factor = ratio(values, original, n, 0, sensor[0], steps: 6)
                for t in 0..<6 { for c in sensor { XCTAssertEqual(ratio(values, original, n, t, c, steps: 6), factor, accuracy: 1e-5) } }
                factors.append(factor)
            }
            XCTAssertEqual(Set(factors.map { Int($0 * 1e4) }).count, 5, "each sensor draws its own factor: \(factors)")
        }
    }

    func testMagnitudeWarpScalesEachSensorAlongOneSmoothCurve() throws {
        let steps = 31 // knots at steps 0, 10, 20, 30
        let original = batch(2, steps, 13)
        var values = original
        _ = try apply("magwarp=0.3", &values, count: 2, steps: steps)
        for n in 0..<2 {
            for sensor in [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 10, 11], [12]] {
                let curve = (0..<steps).map { ratio(values, original, n, $0, sensor[0], steps: steps) }
                for t in 0..<steps {
                    for c in sensor { XCTAssertEqual(ratio(values, original, n, t, c, steps: steps), curve[t], accuracy: 1e-5, "direction kept") }
                }
                for t in 0..<steps where t % 10 != 0 {
                    let (a, b) = (curve[t / 10 * 10], curve[t / 10 * 10 + 10])
                    XCTAssertEqual(curve[t], a + (b - a) * Float(t % 10) / 10, accuracy: 1e-5, "linear between knots at step \(t)")
                }
                XCTAssertGreaterThan(curve.max()! - curve.min()!, 1e-3, "the magnitude varies over time")
            }
        }
    }

    func testSubjectMixPairsEachWindowWithAnotherSubjectsWindow() throws {
        let subjects = [1, 1, 1, 2, 2, 3, 1, 2]
        for seed in 0..<20 {
            let original = batch(8, 4, 13)
            var values = original
            var random = SeededGenerator(seed: UInt64(seed))
            let mix = try XCTUnwrap(AugmentationPipeline(steps: [.subjectmix(alpha: 0.4)]).apply(
                to: &values, count: 8, windowLength: 4, channels: 13, groups: SensorGroups(channelNames: Self.names),
                subjects: subjects, using: &random))
            for n in 0..<8 {
                XCTAssertNotEqual(subjects[mix.partners[n]], subjects[n], "window \(n) (subject \(subjects[n])) mixed with its own subject")
                for k in 0..<(4 * 13) {
                    let expected = mix.weight * original[n * 52 + k] + (1 - mix.weight) * original[mix.partners[n] * 52 + k]
                    XCTAssertEqual(values[n * 52 + k], expected, accuracy: 1e-5)
                }
            }
        }
        // One subject only: the partner comes from the whole batch.
        var values = batch(4, 4, 13)
        let lone = try XCTUnwrap(try apply("subjectmix", &values, count: 4, steps: 4, subjects: [7, 7, 7, 7]))
        XCTAssertTrue(lone.partners.allSatisfy { (0..<4).contains($0) })
    }

    func testBatcherGivesSubjectMixTheWindowsSubjects() throws {
        let data = try DatasetCatalog.load("synthetic")
        let batcher = try Batcher(dataset: data, split: .train, batchSize: 64, shuffle: true, seed: 3,
                                  augmentation: AugmentationPipeline(steps: [.subjectmix(alpha: 0.2)]))
        let batch = try batcher.batches(epoch: 1)[0]
        let mix = try XCTUnwrap(batch.mix)
        let subjects = batch.indices.map { data.subjects[$0] }
        XCTAssertGreaterThan(Set(subjects).count, 1, "premise: the batch holds several subjects")
        for n in subjects.indices { XCTAssertNotEqual(subjects[mix.partners[n]], subjects[n]) }
        let mixLabels: [Int64] = try XCTUnwrap(batch.mixLabels).scalars()
        XCTAssertEqual(mixLabels, mix.partners.map { Int64(data.labels[batch.indices[$0]]) })
    }

    func testNewNamesParseAndPrintBackAndMixingRunsLast() throws {
        let pipeline = try AugmentationPipeline(parsing: "subjectmix=0.3, sensorscale=0.2, magwarp")
        XCTAssertEqual(pipeline.steps, [.sensorscale(sigma: 0.2), .magwarp(sigma: 0.2), .subjectmix(alpha: 0.3)])
        XCTAssertEqual(try AugmentationPipeline(parsing: pipeline.description), pipeline)
        XCTAssertThrowsError(try AugmentationPipeline(parsing: "sensorscale=-1")) { error in
            XCTAssertTrue("\(error)".contains("bad value -1.0 for sensorscale"), "\(error)")
        }
    }
}

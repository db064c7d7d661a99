import XCTest
@testable import HARKit
import TestSupport

final class AugmentTests: IsolatedTestCase {
    /// `count` windows of `steps × channels` random values.
    private func batch(_ count: Int, _ steps: Int, _ channels: Int, seed: UInt64 = 1) -> [Float] {
        var random = SeededGenerator(seed: seed)
        return (0..<(count * steps * channels)).map { _ in random.gaussian() }
    }

    private func apply(_ spec: String, _ values: inout [Float], count: Int, steps: Int, names: [String], seed: UInt64 = 7) throws -> AugmentationPipeline.Mix? {
        var random = SeededGenerator(seed: seed)
        return try AugmentationPipeline(parsing: spec).apply(to: &values, count: count, windowLength: steps, channels: names.count,
                                                             groups: SensorGroups(channelNames: names), using: &random)
    }

    func testParsesSpecsWithDefaultsAndRejectsUnknownNames() throws {
        let pipeline = try AugmentationPipeline(parsing: "jitter=0.05, rotate=30, crop")
        XCTAssertEqual(pipeline.steps, [.jitter(sigma: 0.05), .rotate(degrees: 30), .crop(fraction: 0.9)])
        XCTAssertEqual(try AugmentationPipeline(parsing: pipeline.description), pipeline)
        XCTAssertThrowsError(try AugmentationPipeline(parsing: "jiter=0.1")) { error in
            XCTAssertTrue("\(error)".contains("unknown augmentation 'jiter'"), "\(error)")
            XCTAssertTrue("\(error)".contains("jitter, scale, rotate"), "\(error)")
        }
        XCTAssertThrowsError(try AugmentationPipeline(parsing: "rotate=abc")) { error in
            XCTAssertTrue("\(error)".contains("'abc' is not a number"), "\(error)")
        }
        XCTAssertThrowsError(try AugmentationPipeline(parsing: "crop=2")) { error in
            XCTAssertTrue("\(error)".contains("bad value 2.0 for crop"), "\(error)")
        }
        XCTAssertEqual(try AugmentationPipeline(parsing: "mixup, flip").steps.last, .mixup(alpha: 0.2), "mixup runs last")
    }

    func testSensorGroupsFollowChannelNames() {
        XCTAssertEqual(SensorGroups(channelNames: DSADSLoader.channelNames).units.map(\.count), [3, 3, 3, 3, 3])
        XCTAssertEqual(SensorGroups(channelNames: UCIHARLoader.signals).units, [[[0, 1, 2], [3, 4, 5], [6, 7, 8]]])
        XCTAssertEqual(SensorGroups(channelNames: PAMAP2Loader.channelNames).units.map(\.count), [4, 4, 4])
        let oppo = SensorGroups(channelNames: OpportunityLoader.channelNames)
        XCTAssertFalse(oppo.units.joined().joined().contains { OpportunityLoader.channelNames[$0].contains("euler") })
    }

    func testRotationPreservesNormsAndAnglesWithinEachUnit() throws {
        let names = ["T_acc_x", "T_acc_y", "T_acc_z", "T_gyro_x", "T_gyro_y", "T_gyro_z", "RA_acc_x", "RA_acc_y", "RA_acc_z"]
        let original = batch(4, 16, 9)
        var values = original
        _ = try apply("rotate=90", &values, count: 4, steps: 16, names: names)
        XCTAssertNotEqual(values, original)
        func vector(_ v: [Float], _ n: Int, _ t: Int, _ first: Int) -> [Float] { (0..<3).map { v[(n * 16 + t) * 9 + first + $0] } }
        func dot(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).map(*).reduce(0, +) }
        for n in 0..<4 {
            for t in 0..<16 {
                for first in [0, 3, 6] {
                    let before = vector(original, n, t, first), after = vector(values, n, t, first)
                    XCTAssertEqual(dot(after, after), dot(before, before), accuracy: 1e-4)
                }
                // acc and gyro of unit T turn together, so the angle between them is kept
                XCTAssertEqual(dot(vector(values, n, t, 0), vector(values, n, t, 3)), dot(vector(original, n, t, 0), vector(original, n, t, 3)), accuracy: 1e-4)
            }
        }
    }

    func testFlipTwiceIsIdentityAndOnceReversesTime() throws {
        let names = ["acc_x", "acc_y", "acc_z"]
        let original = batch(3, 10, 3)
        var values = original
        _ = try apply("flip=1", &values, count: 3, steps: 10, names: names)
        XCTAssertEqual(values[0..<3], original[(9 * 3)..<(10 * 3)])
        _ = try apply("flip=1", &values, count: 3, steps: 10, names: names)
        XCTAssertEqual(values, original)
    }

    func testCropKeepsLengthAndStretchesARampUniformly() throws {
        // One channel holding t at step t: a crop of 0.5 over 21 steps keeps 11 consecutive steps, stretched to slope 0.5.
        var values = (0..<21).map(Float.init)
        _ = try apply("crop=0.5", &values, count: 1, steps: 21, names: ["v"])
        XCTAssertEqual(values.count, 21)
        for t in 1..<21 { XCTAssertEqual(values[t] - values[t - 1], 0.5, accuracy: 1e-5) }
        XCTAssertEqual(values[20] - values[0], 10, accuracy: 1e-4)
        var untouched = (0..<21).map(Float.init)
        _ = try apply("crop=1", &untouched, count: 1, steps: 21, names: ["v"])
        XCTAssertEqual(untouched, (0..<21).map(Float.init))
    }

    func testTimewarpKeepsEndpointsAndOrder() throws {
        var values = (0..<50).map(Float.init)
        _ = try apply("timewarp=0.5", &values, count: 1, steps: 50, names: ["v"])
        XCTAssertEqual(values.first!, 0, accuracy: 1e-5)
        XCTAssertEqual(values.last!, 49, accuracy: 1e-3)
        for t in 1..<50 { XCTAssertGreaterThanOrEqual(values[t], values[t - 1]) }
        XCTAssertNotEqual(values, (0..<50).map(Float.init))
    }

    func testJitterAddsNoiseOfTheGivenSpread() throws {
        let original = [Float](repeating: 1, count: 20_000)
        var values = original
        _ = try apply("jitter=0.2", &values, count: 100, steps: 200, names: ["v"])
        let noise = zip(values, original).map { Double($0 - $1) }
        let mean = noise.reduce(0, +) / Double(noise.count)
        let sd = (noise.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(noise.count)).squareRoot()
        XCTAssertEqual(mean, 0, accuracy: 0.01)
        XCTAssertEqual(sd, 0.2, accuracy: 0.01)
    }

    func testScaleMultipliesEachChannelOfAWindowByOneFactor() throws {
        let original = batch(2, 8, 3).map { abs($0) + 0.5 }
        var values = original
        _ = try apply("scale=0.3", &values, count: 2, steps: 8, names: ["a", "b", "c"])
        for n in 0..<2 {
            for c in 0..<3 {
                let ratios = (0..<8).map { values[(n * 8 + $0) * 3 + c] / original[(n * 8 + $0) * 3 + c] }
                for r in ratios { XCTAssertEqual(r, ratios[0], accuracy: 1e-5) }
            }
        }
    }

    func testMixupBlendsPartnersWithOneWeight() throws {
        let original = batch(6, 4, 2)
        var values = original
        let mix = try XCTUnwrap(try apply("mixup=0.4", &values, count: 6, steps: 4, names: ["a", "b"]))
        XCTAssertEqual(mix.partners.sorted(), Array(0..<6))
        XCTAssertTrue((0...1).contains(mix.weight))
        for n in 0..<6 {
            for k in 0..<8 {
                let expected = mix.weight * original[n * 8 + k] + (1 - mix.weight) * original[mix.partners[n] * 8 + k]
                XCTAssertEqual(values[n * 8 + k], expected, accuracy: 1e-5)
            }
        }
    }

    func testBatcherAugmentsReproduciblyPerEpoch() throws {
        let data = try DatasetCatalog.load("synthetic")
        let pipeline = try AugmentationPipeline(parsing: "jitter=0.05, rotate=30, mixup")
        let a = try Batcher(dataset: data, split: .train, batchSize: 64, shuffle: true, seed: 3, augmentation: pipeline)
        let first: [Float] = try a.batches(epoch: 1)[0].x.scalars()
        let again: [Float] = try a.batches(epoch: 1)[0].x.scalars()
        let other: [Float] = try a.batches(epoch: 2)[0].x.scalars()
        XCTAssertEqual(first, again)
        XCTAssertNotEqual(first, other)
        let batch = try a.batches(epoch: 1)[0]
        let mixLabels: [Int64] = try XCTUnwrap(batch.mixLabels).scalars()
        XCTAssertEqual(mixLabels, batch.mix!.partners.map { Int64(data.labels[batch.indices[$0]]) })
    }
}

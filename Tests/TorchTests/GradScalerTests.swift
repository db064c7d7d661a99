import XCTest
@testable import Torch

/// Dynamic loss scaling, exercised on CPU with a fabricated overflow.
final class GradScalerTests: IsolatedTestCase {
    private func parameter(_ values: [Float]) throws -> Tensor {
        let p = try Tensor(values)
        try p.setRequiresGrad(true)
        return p
    }

    func testScaledStepEqualsAnUnscaledStep() throws {
        let p = try parameter([1, -2, 3]), q = try parameter([1, -2, 3])
        let scaler = try GradScaler(initialScale: 1024)
        let scaledOptimizer = try SGD([p], learningRate: 0.1), plainOptimizer = try SGD([q], learningRate: 0.1)
        try scaler.scaled((p * p).sum()).backward()
        XCTAssertEqual(try XCTUnwrap(p.grad).scalars(as: Float.self), [2048, -4096, 6144], "gradients carry the scale")
        XCTAssertTrue(try scaler.step(scaledOptimizer))
        scaler.update()
        try (q * q).sum().backward()
        try plainOptimizer.step()
        XCTAssertEqual(try p.scalars(as: Float.self), try q.scalars(as: Float.self))
        XCTAssertEqual(scaler.scale, 1024)
    }

    func testOverflowSkipsTheStepAndBacksOffThenCleanStepsGrow() throws {
        let p = try parameter([1, 2])
        let optimizer = try SGD([p], learningRate: 0.1)
        let scaler = try GradScaler(initialScale: 8, growthInterval: 2)
        let overflowing = try Tensor([Float.infinity, 1])
        try scaler.scaled((p * overflowing).sum()).backward()  // a fabricated overflow
        XCTAssertFalse(try scaler.step(optimizer))
        scaler.update()
        XCTAssertEqual(try p.scalars(as: Float.self), [1, 2], "the step was skipped")
        XCTAssertEqual(scaler.scale, 4)
        for _ in 0..<2 {
            try optimizer.zeroGrad()
            try scaler.scaled(p.sum()).backward()
            XCTAssertTrue(try scaler.step(optimizer))
            scaler.update()
        }
        XCTAssertEqual(scaler.scale, 8, "two clean steps double the scale")
        XCTAssertEqual(try p.scalars(as: Float.self)[0], 0.8, accuracy: 1e-6)
    }

    func testUnscaleBeforeClippingIsNotRepeatedByStep() throws {
        let p = try parameter([3, 4])
        let optimizer = try SGD([p], learningRate: 1)
        let scaler = try GradScaler(initialScale: 100)
        try scaler.scaled((p * p).sum() / 2).backward()
        try scaler.unscale(optimizer)
        XCTAssertEqual(try clipGradNorm([p], maxNorm: 1), 5, accuracy: 1e-4)
        try scaler.step(optimizer)
        XCTAssertEqual(try p.scalars(as: Float.self)[0], 3 - 0.6, accuracy: 1e-4)
        XCTAssertEqual(try p.scalars(as: Float.self)[1], 4 - 0.8, accuracy: 1e-4)
    }

    func testStateRoundTripsAndDisabledScalerPassesThrough() throws {
        let scaler = try GradScaler(initialScale: 16, growthInterval: 3)
        let other = try GradScaler()
        try other.loadState(try scaler.stateDict())
        XCTAssertEqual(other.scale, 16)
        XCTAssertThrowsError(try other.loadState(StateDict()))
        let disabled = try GradScaler(enabled: false)
        let loss = try Tensor(scalar: 2)
        XCTAssertEqual(try disabled.scaled(loss).item(), 2)
    }
}

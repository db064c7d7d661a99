import XCTest
@testable import Torch
import TestSupport

/// Mixed precision and device placement.
final class AutocastAndDeviceTests: IsolatedTestCase {
    func testAutocastOnCPURunsMatmulInBFloat16InsideTheBlockOnly() throws {
        let a = try Tensor.randn([4, 8]), b = try Tensor.randn([8, 3])
        let inside = try Autocast.run(on: .cpu) { () throws -> (DType, Bool) in (try a.matmul(b).dtype, Autocast.isEnabled(on: .cpu)) }
        XCTAssertEqual(inside.0, .bfloat16)
        XCTAssertTrue(inside.1)
        XCTAssertFalse(Autocast.isEnabled(on: .cpu))
        XCTAssertEqual(try a.matmul(b).dtype, .float32)
        XCTAssertEqual(try Autocast.run(on: .cpu, enabled: false) { try a.matmul(b).dtype }, .float32)
    }

    func testMovingToCUDAFailsClearlyWithoutIt() throws {
        let t = try Tensor.ones([2])
        let model = try Linear(2, 2)
        if Device.isCUDAAvailable {
            let moved = try t.moved(to: .cuda(0))
            XCTAssertEqual(moved.device, .cuda(0))
            XCTAssertEqual(try moved.moved(to: .cpu).scalars(as: Float.self), [1, 1])
            try model.move(to: .cuda(0))
            XCTAssertEqual(model.weight.device, .cuda(0))
            return
        }
        XCTAssertThrowsError(try t.moved(to: .cuda(0))) { error in
            XCTAssertTrue((error as? TorchError)?.message.contains("CUDA is not available") == true, "\(error)")
        }
        XCTAssertThrowsError(try model.move(to: .cuda(0)))
        XCTAssertEqual(model.weight.device, .cpu, "a failed move changes nothing")
        XCTAssertEqual(try t.moved(to: .cpu).scalars(as: Float.self), [1, 1])
    }

    func testDeviceParsing() {
        XCTAssertEqual(Device(parsing: "cpu"), .cpu)
        XCTAssertEqual(Device(parsing: "cuda"), .cuda(0))
        XCTAssertEqual(Device(parsing: "cuda:1"), .cuda(1))
        XCTAssertNil(Device(parsing: "gpu"))
    }
}

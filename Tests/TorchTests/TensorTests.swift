import XCTest
@testable import Torch
import TestSupport

final class TensorTests: IsolatedTestCase {
    func testRoundTripOfScalarsKeepsValuesAndShape() throws {
        let t = try Tensor([1, 2, 3, 4, 5, 6] as [Float], shape: [2, 3])
        XCTAssertEqual(t.shape, [2, 3])
        XCTAssertEqual(t.dtype, .float32)
        XCTAssertEqual(try t.scalars(as: Float.self), [1, 2, 3, 4, 5, 6])
    }

    func testMatmulMatchesHandComputedProduct() throws {
        let a = try Tensor([1, 2, 3, 4] as [Float], shape: [2, 2])
        let b = try Tensor([5, 6, 7, 8] as [Float], shape: [2, 2])
        XCTAssertEqual(try a.matmul(b).scalars(as: Float.self), [19, 22, 43, 50])
    }

    func testShapeMismatchThrowsReadableError() throws {
        let a = try Tensor.zeros([2, 3]), b = try Tensor.zeros([4, 5])
        XCTAssertThrowsError(try a.matmul(b)) { error in
            let message = (error as? TorchError)?.message ?? ""
            XCTAssertTrue(message.contains("shapes cannot be multiplied") || message.contains("size"), message)
        }
        XCTAssertEqual(try (a + 1).sum().item(), 6)
    }
}

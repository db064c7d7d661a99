import XCTest
@testable import Torch

/// Bad input becomes a `TorchError` with a readable message, and the process carries on.
final class ErrorTests: IsolatedTestCase {
    /// Asserts that `body` throws a `TorchError` whose message contains `fragment` and no C++ backtrace.
    private func assertTorchError(_ fragment: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            guard let torchError = error as? TorchError else { return XCTFail("not a TorchError: \(error)", file: file, line: line) }
            XCTAssertTrue(torchError.message.contains(fragment), "message: \(torchError.message)", file: file, line: line)
            XCTAssertFalse(torchError.message.contains("frame #") || torchError.message.contains("Exception raised from"),
                           "message keeps a backtrace: \(torchError.message)", file: file, line: line)
        }
    }

    func testShapeMismatchThrowsAndComputationContinues() throws {
        let a = try Tensor.ones([2, 3]), b = try Tensor.ones([4, 5])
        assertTorchError("must match the size of tensor b (5) at non-singleton dimension 1") { _ = try a + b }
        assertTorchError("expected a 3-D input whose last size is 4") { _ = try LSTM(inputSize: 4, hiddenSize: 2)(a) }
        assertTorchError("shape [2, 2] needs 4 elements, got 3") { _ = try Tensor([1, 2, 3] as [Float], shape: [2, 2]) }
        XCTAssertEqual(try (a + a).sum().item(), 12, "the process lives on")
    }

    func testBadDtypeThrows() throws {
        let logits = try Tensor.zeros([2, 3])
        assertTorchError("expected scalar type Long but found Float") {
            _ = try Functional.crossEntropy(logits: logits, labels: try Tensor.zeros([2]))
        }
        assertTorchError("expected scalar type Float but found Long") { _ = try logits.matmul(try Tensor.zeros([3, 2], dtype: .int64)) }
        XCTAssertEqual(try Functional.crossEntropy(logits: logits, labels: try Tensor.zeros([2], dtype: .int64)).item(),
                       Foundation.log(3), accuracy: 1e-6)
    }

    func testOutOfRangeIndexThrows() throws {
        let t = try Tensor.arange(0, 6).reshaped(to: [2, 3])
        assertTorchError("index 7 is out of range for dimension 0 of size 2") { _ = try t.indexSelected(axis: 0, indices: try Tensor([1, 7] as [Int64])) }
        assertTorchError("index 5 out of range") { _ = try t.selecting(axis: 0, index: 5) }
        assertTorchError("out of bounds") { _ = try t.gathered(axis: 1, indices: try Tensor([0, 9] as [Int64], shape: [2, 1])) }
        assertTorchError("Dimension out of range") { _ = try t.sum(alongAxes: 4) }
        XCTAssertEqual(try t.indexSelected(axis: 0, indices: try Tensor([1] as [Int64])).scalars(as: Float.self), [3, 4, 5])
    }

    func testInvalidLayerSettingsThrowNamingTheSetting() {
        assertTorchError("not divisible by 3 heads") { _ = try MultiheadAttention(embedDim: 8, heads: 3) }
        assertTorchError("not divisible by groups 3") { _ = try Conv1d(4, 6, kernel: 3, groups: 3) }
        assertTorchError("probability must be in [0, 1], got 1.5") { _ = try Dropout(1.5) }
        assertTorchError("step size must be positive") { _ = try StepLR(base: 0.1, stepSize: 0) }
    }
}

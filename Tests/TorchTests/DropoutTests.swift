import XCTest
@testable import Torch
import TestSupport

/// harlab's dropout (ctorch_dropout.cpp: the mask drawn from SplitMix64 at each element's index, in parallel, instead of
/// libtorch 1.13's serial bernoulli_) is dropout: the kept fraction and the scale are right for every floating type,
/// neighbouring and successive masks are independent, the seed alone fixes the mask whatever the thread count, and
/// backward applies the forward's mask.
final class DropoutTests: ThreadRestoringTestCase {
    /// 2²⁰ + 1 elements: odd, so the last element takes half of a 64-bit draw on its own.
    private let count = (1 << 20) + 1

    /// Whether each element of `y` survived (nonzero; the inputs are ones).
    private func kept(_ y: Tensor) throws -> [Bool] { try y.converted(to: .float64).scalars(as: Double.self).map { $0 != 0 } }

    /// Fails when the observed frequency `hits / trials` is more than five standard deviations from `probability`.
    private func assertFrequency(_ hits: Int, of trials: Int, is probability: Double, _ what: String,
                                 file: StaticString = #filePath, line: UInt = #line) {
        let sigma = (probability * (1 - probability) / Double(trials)).squareRoot()
        XCTAssertEqual(Double(hits) / Double(trials), probability, accuracy: 5 * sigma, what, file: file, line: line)
    }

    func testKeptFractionAndScaleForEveryFloatingType() throws {
        Runtime.manualSeed(1)
        for (dtype, p) in [(DType.float32, 0.1), (.float32, 0.5), (.float64, 0.3), (.bfloat16, 0.9)] {
            let y = try Functional.dropout(try Tensor.ones([count], dtype: dtype), p: p, training: true)
            XCTAssertEqual(y.dtype, dtype)
            let values = try y.converted(to: .float64).scalars(as: Double.self)
            // The kept value is 1/(1-p) rounded to the type, as PyTorch's dropout scales.
            let scale = try Tensor.full([1], value: 1 / (1 - p), dtype: dtype).converted(to: .float64).scalars(as: Double.self)[0]
            let tolerance = dtype == .float64 ? 1e-12 : 1e-6
            XCTAssertTrue(values.allSatisfy { $0 == 0 || Swift.abs($0 - scale) <= tolerance * scale }, "\(dtype) p=\(p)")
            assertFrequency(values.filter { $0 != 0 }.count, of: count, is: 1 - p, "\(dtype) p=\(p): kept fraction")
        }
    }

    func testNeighbouringAndSuccessiveMasksAreIndependent() throws {
        Runtime.manualSeed(2)
        let p = 0.5, ones = try Tensor.ones([count])
        let first = try kept(try Functional.dropout(ones, p: p, training: true))
        let second = try kept(try Functional.dropout(ones, p: p, training: true))
        let pairs = count / 2
        // Elements 2k and 2k+1 share one 64-bit draw; 2k+1 and 2k+2 come from successive draws.
        assertFrequency((0..<pairs).filter { first[2 * $0] && first[2 * $0 + 1] }.count, of: pairs, is: 0.25, "same draw")
        assertFrequency((0..<pairs).filter { first[2 * $0 + 1] && first[2 * $0 + 2] }.count, of: pairs, is: 0.25, "successive draws")
        assertFrequency((0..<count).filter { first[$0] && second[$0] }.count, of: count, is: 0.25, "successive calls")
    }

    func testTheSeedAloneFixesTheMaskWhateverTheThreadCount() throws {
        let x = try Tensor.randn([count])
        var masks: [[Bool]] = []
        for threads in [1, 2, 1] {
            try Runtime.setThreads(threads)
            Runtime.manualSeed(3)
            masks.append(try kept(try Functional.dropout(x, p: 0.2, training: true)))
        }
        XCTAssertEqual(masks[0], masks[1], "1 and 2 threads draw the same mask from the same seed")
        XCTAssertEqual(masks[0], masks[2])
        Runtime.manualSeed(4)
        XCTAssertNotEqual(masks[0], try kept(try Functional.dropout(x, p: 0.2, training: true)), "another seed, another mask")
    }

    func testEveryInstructionSetDrawsTheSameMaskAtEveryLength() throws {
        // Lengths around the kernel's blocks of 512 pairs and its parallel grain of 8192 pairs, odd and even.
        let lengths = [1, 2, 3, 1023, 1024, 1025, 2 * 8192 + 1, 3 * 8192 * 2 + 7]
        defer { try? FusedKernels.force(nil) }
        for dtype in [DType.float32, .float64, .bfloat16] {
            var reference: [Bool]?
            for isa in FusedKernels.available {
                try FusedKernels.force(isa)
                for (index, length) in lengths.enumerated() {
                    let threads = 1 + index % 2
                    try Runtime.setThreads(threads)
                    Runtime.manualSeed(6)
                    let mask = try kept(try Functional.dropout(try Tensor.ones([length], dtype: dtype), p: 0.3, training: true))
                    // One seed, one stream: every length's mask is a prefix of the longest one's.
                    if reference == nil { reference = mask }
                    if mask.count > reference!.count {
                        XCTAssertEqual(Array(mask.prefix(reference!.count)), reference!, "\(dtype) \(isa) length \(length)")
                        reference = mask
                    } else {
                        XCTAssertEqual(mask, Array(reference!.prefix(length)), "\(dtype) \(isa) length \(length), \(threads) thread(s)")
                    }
                }
            }
            XCTAssertEqual(reference?.count, lengths.max(), "\(dtype): the longest mask was drawn")
        }
    }

    func testBackwardAppliesTheForwardMask() throws {
        Runtime.manualSeed(5)
        let p = 0.4
        let x = try Tensor.randn([3, 1001], dtype: .float64)
        try x.setRequiresGrad(true)
        let y = try Functional.dropout(x, p: p, training: true)
        let upstream = try Tensor.randn([3, 1001], dtype: .float64)
        try (y * upstream).sum().backward()
        let mask = try kept(y), g = try XCTUnwrap(x.grad).scalars(as: Double.self), u = try upstream.scalars(as: Double.self)
        let xs = try x.scalars(as: Double.self), ys = try y.scalars(as: Double.self)
        for i in 0..<mask.count {
            XCTAssertEqual(ys[i], mask[i] ? xs[i] / (1 - p) : 0, accuracy: 1e-12)
            XCTAssertEqual(g[i], mask[i] ? u[i] / (1 - p) : 0, accuracy: 1e-12, "element \(i)")
        }
    }

    func testEvaluationZeroAndCertainDropout() throws {
        let x = try Tensor.randn([64])
        XCTAssertEqual(try Functional.dropout(x, p: 0.5, training: false).scalars(as: Float.self), try x.scalars(as: Float.self))
        XCTAssertEqual(try Functional.dropout(x, p: 0, training: true).scalars(as: Float.self), try x.scalars(as: Float.self))
        XCTAssertEqual(try Functional.dropout(x, p: 1, training: true).scalars(as: Float.self), [Float](repeating: 0, count: 64))
    }
}

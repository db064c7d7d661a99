import Foundation
import XCTest
@testable import Torch
import TestSupport

/// Subnormal floats flushed to zero (`ctorch_denormals.h`): on by default from the moment the program loads, off
/// under `HARLAB_DENORMALS=keep`, and switchable for the calling thread and libtorch's intra-op pool together.
///
/// The subnormal operand is built from its bits (2⁻¹³⁰ ≈ 7.3e-40), never by arithmetic, which would itself flush it,
/// and results are compared by their bits: with denormals-are-zero on, `==` itself reads a subnormal as zero.
final class DenormalsTests: IsolatedTestCase {
    private let subnormal = Float(bitPattern: 0x0008_0000)

    /// The bits of the product `x · 1` of every element, computed by libtorch (vectorised, split over the intra-op
    /// threads).
    private func timesOne(_ count: Int) throws -> [UInt32] {
        try (try Tensor([Float](repeating: subnormal, count: count)) * 1.0).scalars(as: Float.self).map(\.bitPattern)
    }

    private func requireX86() throws {
        #if !(arch(x86_64) || arch(i386))
        throw XCTSkip("flush-to-zero is x86's MXCSR; harlab leaves other CPUs' float environment alone")
        #endif
    }

    func testTheProgramFlushesFromTheStartUnlessTheEnvironmentOptsOut() throws {
        try requireX86()
        let keep = ProcessInfo.processInfo.environment["HARLAB_DENORMALS"] == "keep"
        XCTAssertEqual(Runtime.flushedDenormalsAtLoad, !keep)
        XCTAssertEqual(Runtime.flushesDenormals, !keep, "the test thread, created before any test changed it")
        XCTAssertTrue(subnormal.isSubnormal, "the operand is subnormal")
        XCTAssertEqual(try timesOne(8), [UInt32](repeating: keep ? subnormal.bitPattern : 0, count: 8))
    }

    /// Both settings in turn on a tensor large enough for libtorch to split over two threads: every element obeys the
    /// setting, so the pool threads switched with the calling one.
    func testSwitchingReachesEveryIntraOpThread() throws {
        try requireX86()
        let (threads, flushed) = (Runtime.threads, try XCTUnwrap(Runtime.flushesDenormals))
        defer {
            XCTAssertNoThrow(try Runtime.setThreads(threads))
            XCTAssertNoThrow(try Runtime.setFlushesDenormals(flushed))
        }
        try Runtime.setThreads(2)
        let count = 1 << 20
        for flush in [!flushed, flushed, false, true] {
            try Runtime.setFlushesDenormals(flush)
            XCTAssertEqual(Runtime.flushesDenormals, flush)
            let products = try timesOne(count)
            let kept = products.filter { $0 == subnormal.bitPattern }.count, zeros = products.filter { $0 == 0 }.count
            XCTAssertEqual(flush ? zeros : kept, count, "flush \(flush): \(kept) kept, \(zeros) zero of \(count)")
        }
    }

    /// A thread started after a switch computes as the thread that started it.
    func testANewThreadInheritsTheSetting() throws {
        try requireX86()
        let flushed = try XCTUnwrap(Runtime.flushesDenormals)
        defer { XCTAssertNoThrow(try Runtime.setFlushesDenormals(flushed)) }
        for flush in [false, true] {
            try Runtime.setFlushesDenormals(flush)
            let seen = LockedBox<Bool?>(nil)
            let done = DispatchSemaphore(value: 0)
            let thread = Thread { seen.value = Runtime.flushesDenormals; done.signal() }
            thread.start()
            XCTAssertEqual(done.wait(timeout: .now() + 30), .success)
            XCTAssertEqual(seen.value, flush)
        }
    }
}

/// A value shared with another thread under a lock.
private final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

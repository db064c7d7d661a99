import Foundation
import XCTest
@testable import Torch
import TestSupport

/// Tensors free their libtorch storage when released.
final class MemoryTests: IsolatedTestCase {
    /// Resident memory in bytes, from /proc/self/statm.
    private func residentBytes() throws -> Int {
        let fields = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8).split(separator: " ")
        return Int(fields[1])! * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// A million tensors of 64 floats (256 MB if none were freed) leave resident memory within 16 MB of where it started.
    func testAMillionSmallTensorsLeaveResidentMemoryFlat() throws {
        for i in 0..<20_000 { _ = try Tensor.full([64], value: Double(i)) + 1 }  // warm up allocator caches
        let before = try residentBytes()
        var checksum = 0.0
        for i in 0..<500_000 {
            let t = try Tensor.full([64], value: Double(i % 7))
            let u = try t * 2  // the second of this iteration's two tensors
            if i % 100_000 == 0 { checksum += try u.sum().item() }
        }
        let growth = try residentBytes() - before
        let expected: Double = 128 * Double([0, 100_000, 200_000, 300_000, 400_000].map { $0 % 7 }.reduce(0, +))
        XCTAssertEqual(checksum, expected, "the loop computed")
        XCTAssertLessThan(growth, 16 << 20, "resident memory grew by \(growth) bytes")
    }
}

import Foundation
import XCTest
import Torch
import TestSupport

/// The allocator tuning of `ctorch_inference.cpp` is on in a process that did not opt out (the test runner sets
/// neither `HARLAB_MALLOC_DEFAULTS` nor glibc's variables), and a buffer of a batch-1 activation's size freed and
/// allocated again comes from the heap: the same address, no new mapping.
final class AllocatorTuningTests: IsolatedTestCase {
    func testAllocatorKeepsFreedActivationBuffers() throws {
        let environment = ProcessInfo.processInfo.environment
        try XCTSkipIf(["HARLAB_MALLOC_DEFAULTS", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_"].contains { environment[$0] != nil },
                      "the environment opted out of the allocator tuning")
        XCTAssertTrue(Runtime.allocatorTuned)
        let bytes = 3 << 20
        let first = try XCTUnwrap(malloc(bytes))
        let address = Int(bitPattern: first)
        free(first)
        let second = try XCTUnwrap(malloc(bytes))
        defer { free(second) }
        XCTAssertEqual(Int(bitPattern: second), address, "a freed 3 MiB block is reused, not unmapped")
    }
}

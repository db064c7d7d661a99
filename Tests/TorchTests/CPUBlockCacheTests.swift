import Foundation
import XCTest
@testable import Torch
import TestSupport

/// libtorch's large CPU tensors come from the block cache: a freed block serves the next request of its exact size,
/// live tensors never share one, the limit lets the oldest blocks go, and switched off it is not consulted.
final class CPUBlockCacheTests: IsolatedTestCase {
    /// Sizes in floats a little over 4 MiB that nothing else in the suite allocates, so counts are this test's own.
    private let sizes = [1_048_583, 1_048_589, 1_048_601]

    override func setUp() {
        super.setUp()
        CPUBlockCache.isEnabled = true
        CPUBlockCache.release()
    }

    override func tearDown() {
        CPUBlockCache.isEnabled = true
        CPUBlockCache.setLimit(bytes: Self.defaultLimit)
        super.tearDown()
    }

    /// The limit the cache starts with (read once, before any test changes it).
    private static let defaultLimit = CPUBlockCache.statistics.limitBytes

    func testTheLimitStartsAtAQuarterOfPhysicalMemoryAtMost8GiB() {
        let quarter = Int(ProcessInfo.processInfo.physicalMemory / 4)
        XCTAssertEqual(Self.defaultLimit, min(quarter, 8 << 30))
    }

    func testAFreedBlockServesTheNextRequestOfItsSize() throws {
        let start = CPUBlockCache.statistics
        do { _ = try Tensor.zeros([sizes[0]]) }
        let afterFirst = CPUBlockCache.statistics
        XCTAssertEqual(afterFirst.misses - start.misses, 1, "a fresh block")
        XCTAssertEqual(afterFirst.cachedBytes, sizes[0] * 4, "kept when its tensor went")
        let again = try Tensor.zeros([sizes[0]])
        let afterSecond = CPUBlockCache.statistics
        XCTAssertEqual(afterSecond.hits - afterFirst.hits, 1, "the kept block served it")
        XCTAssertEqual(afterSecond.misses, afterFirst.misses)
        XCTAssertEqual(afterSecond.cachedBytes, 0)
        XCTAssertEqual(try again.sum().item(), 0, "zeros() still fills the reused block")
    }

    func testLiveTensorsOfOneSizeNeverShareABlock() throws {
        var first: Tensor? = try Tensor.full([sizes[1]], value: 1)
        let second = try Tensor.full([sizes[1]], value: 2)
        XCTAssertEqual(try first!.sum().item(), Double(sizes[1]))
        first = nil
        let third = try Tensor.full([sizes[1]], value: 3)  // takes the first one's block
        XCTAssertEqual(try second.sum().item(), 2 * Double(sizes[1]), "the live tensor kept its values")
        XCTAssertEqual(try third.sum().item(), 3 * Double(sizes[1]))
    }

    func testTheLimitLetsTheOldestBlocksGo() throws {
        let bytes = sizes.map { $0 * 4 }
        CPUBlockCache.setLimit(bytes: bytes[1] + bytes[2])
        var oldest: Tensor? = try Tensor.zeros([sizes[0]]), middle: Tensor? = try Tensor.zeros([sizes[1]])
        var youngest: Tensor? = try Tensor.zeros([sizes[2]])
        oldest = nil
        middle = nil
        youngest = nil
        XCTAssertNil(oldest ?? middle ?? youngest)
        XCTAssertEqual(CPUBlockCache.statistics.cachedBytes, bytes[1] + bytes[2], "the oldest block went over the limit")
        let before = CPUBlockCache.statistics
        let again = try Tensor.zeros([sizes[0]])  // kept alive: freed, it would push the middle block out
        XCTAssertEqual(CPUBlockCache.statistics.misses - before.misses, 1, "the oldest block was freed, not kept")
        let afterOldest = CPUBlockCache.statistics
        _ = try Tensor.zeros([sizes[1]])
        XCTAssertEqual(CPUBlockCache.statistics.hits - afterOldest.hits, 1, "a younger block was kept")
        withExtendedLifetime(again) {}
        CPUBlockCache.setLimit(bytes: 0)
        XCTAssertEqual(CPUBlockCache.statistics.cachedBytes, 0, "a limit of 0 keeps nothing")
    }

    func testSwitchedOffItIsNotConsulted() throws {
        CPUBlockCache.isEnabled = false
        XCTAssertFalse(CPUBlockCache.isEnabled)
        let before = CPUBlockCache.statistics
        for _ in 0..<3 { _ = try Tensor.zeros([sizes[2]]) }
        XCTAssertEqual(CPUBlockCache.statistics, before)
        CPUBlockCache.isEnabled = true
        var made: Tensor? = try Tensor.full([sizes[2]], value: 5)
        CPUBlockCache.isEnabled = false
        XCTAssertEqual(try made!.sum().item(), 5 * Double(sizes[2]))
        made = nil
        XCTAssertEqual(CPUBlockCache.statistics.cachedBytes, sizes[2] * 4,
                       "a block the cache made returns to it whichever allocator is on when it is freed")
    }
}

import XCTest
@testable import HARKit
import TestSupport

/// `set threads auto` means the CPUs this process may use: OMP_NUM_THREADS first, then the affinity mask capped by a
/// cgroup quota. Pure functions, so each machine's answer is checked against the same rules, not against this CPU.
final class ThreadBudgetTests: IsolatedTestCase {
    func testAffinityListsAreCounted() {
        XCTAssertEqual(ThreadBudget.cpuCount(inList: "0-1\n"), 2)
        XCTAssertEqual(ThreadBudget.cpuCount(inList: "0-3,8,10-11"), 7)
        XCTAssertEqual(ThreadBudget.cpuCount(inList: "5"), 1)
        XCTAssertNil(ThreadBudget.cpuCount(inList: "3-1"))
        XCTAssertNil(ThreadBudget.cpuCount(inList: "a-b"))
        XCTAssertNil(ThreadBudget.cpuCount(inList: ""))
    }

    func testCgroupQuotasAreReadAsCPUs() {
        XCTAssertEqual(ThreadBudget.cpuLimit(quota: "150000", period: "100000\n"), 1.5)
        XCTAssertNil(ThreadBudget.cpuLimit(quota: "max", period: "100000"), "no quota")
        XCTAssertNil(ThreadBudget.cpuLimit(quota: "-1", period: "100000"), "cgroup v1's 'no quota'")
    }

    func testOMPNumThreadsWinsThenTheQuotaCapsTheAffinityMask() {
        XCTAssertEqual(ThreadBudget.resolve(ompNumThreads: "3", affinityCPUs: 8, cgroupLimit: 1).count, 3)
        XCTAssertEqual(ThreadBudget.resolve(ompNumThreads: "4,2", affinityCPUs: 8, cgroupLimit: nil).count, 4, "OpenMP's outer level")
        XCTAssertEqual(ThreadBudget.resolve(ompNumThreads: "0", affinityCPUs: 8, cgroupLimit: nil).count, 8, "an invalid value is ignored")
        XCTAssertEqual(ThreadBudget.resolve(ompNumThreads: nil, affinityCPUs: 8, cgroupLimit: 1.5).count, 2, "a quota of 1.5 CPUs rounds up")
        XCTAssertEqual(ThreadBudget.resolve(ompNumThreads: nil, affinityCPUs: 2, cgroupLimit: 16).count, 2, "a quota above the mask does not add CPUs")
        XCTAssertEqual(ThreadBudget.resolve(ompNumThreads: nil, affinityCPUs: 2, cgroupLimit: nil).description,
                       "2 (the 2 CPUs this process may use)")
        XCTAssertTrue(ThreadBudget.resolve(ompNumThreads: nil, affinityCPUs: 8, cgroupLimit: 2).reason.contains("cgroup CPU quota"))
    }

    /// On the machine running the test: never more than the processors online, never fewer than one.
    func testTheAutomaticBudgetFitsThisMachine() {
        let budget = ThreadBudget.automatic(environment: [:])
        XCTAssertGreaterThanOrEqual(budget.count, 1)
        XCTAssertLessThanOrEqual(budget.count, ProcessInfo.processInfo.activeProcessorCount)
    }
}

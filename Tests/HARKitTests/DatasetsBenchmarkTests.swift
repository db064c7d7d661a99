import XCTest
import HARKit
import TestSupport

/// The DSADS load benchmark; runs only with HARLAB_BENCH=1, meant for a release build:
/// `HARLAB_BENCH=1 HARLAB_DSADS=/tmp/dsads swift test -c release -Xswiftc -enable-testing --filter DatasetsBenchmarkTests`.
final class DatasetsBenchmarkTests: IsolatedTestCase {
    func testDSADSLoadBenchmark() throws {
        // "without NAME=VALUE:" marks an opt-in check for CI's skip report (scripts/skip-report.sh).
        guard ProcessInfo.processInfo.environment["HARLAB_BENCH"] == "1" else { throw XCTSkip("without HARLAB_BENCH=1: the load benchmark runs only when asked for") }
        let root = try DatasetsTestSupport.requireRealDSADS()
        let result = try DatasetBenchmark.run("dsads", from: root, options: ["split": "subjects:6"])
        print("DSADS benchmark: \(result)")
        print(String(format: "load %.3f s, cached reload %.3f s, peak %.2f× the array", result.loadSeconds, result.cachedLoadSeconds,
                     Double(result.loadPeakBytes) / Double(result.arrayBytes)))
        let start = Date()
        let synthetic = try DatasetCatalog.load("synthetic")
        print(String(format: "synthetic: %d windows generated in %.3f s", synthetic.count, Date().timeIntervalSince(start)))
    }
}

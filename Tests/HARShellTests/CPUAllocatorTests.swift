import Foundation
import XCTest
@testable import HARShell
import TestSupport

/// `har` takes libtorch's large CPU buffers from the block cache unless `HARLAB_CPU_ALLOCATOR=system`, `status` says
/// which, and a misspelt value is named rather than ignored. (Seven `har` starts: a few seconds.)
final class CPUAllocatorTests: IsolatedTestCase {
    private func status(allocator: String, environment: [String: String] = [:]) throws -> (line: String, stderr: String) {
        let run = try HarBinary.run(["--no-rc", "--json", "-c", "status"],
                                    environment: environment.merging(["HARLAB_CPU_ALLOCATOR": allocator]) { mine, _ in mine })
        XCTAssertEqual(run.status, 0, run.stderr)
        return (try XCTUnwrap(run.stdout.split(separator: "\n").first { $0.contains("\"command\":\"status\"") }.map(String.init)), run.stderr)
    }

    func testTheBlockCacheIsOnUnlessTheEnvironmentAsksForLibtorchsOwn() throws {
        let caching = try status(allocator: "caching")
        XCTAssertTrue(caching.line.contains("\"cpu_allocator\":\"caching\""), caching.line)
        XCTAssertFalse(caching.stderr.contains("HARLAB_CPU_ALLOCATOR"), caching.stderr)
        let system = try status(allocator: "system")
        XCTAssertTrue(system.line.contains("\"cpu_allocator\":\"system\""), system.line)
        let misspelt = try status(allocator: "sytem")
        XCTAssertTrue(misspelt.line.contains("\"cpu_allocator\":\"caching\""), misspelt.line)
        XCTAssertTrue(misspelt.stderr.contains("HARLAB_CPU_ALLOCATOR=sytem is neither 'caching' nor 'system'"), misspelt.stderr)
    }

    /// The cache's limit: a quarter of memory at most 8 GiB by default, shared between the ranks a launcher says run on
    /// this host (LOCAL_WORLD_SIZE), or HARLAB_CPU_CACHE_LIMIT; a value that is not a size is named and the default kept.
    func testTheCacheLimitFollowsTheEnvironment() throws {
        func limit(_ environment: [String: String]) throws -> (bytes: Int?, stderr: String) {
            let run = try status(allocator: "caching", environment: environment)
            let object = try JSONSerialization.jsonObject(with: Data(run.line.utf8)) as? [String: Any]
            return (object?["cpu_cache_limit"] as? Int, run.stderr)
        }
        // Set empty, the variables count as unset whatever the test runner's environment holds.
        let unset = ["LOCAL_WORLD_SIZE": "", "HARLAB_CPU_CACHE_LIMIT": ""]
        let standard = try XCTUnwrap(try limit(unset).bytes)
        XCTAssertGreaterThan(standard, 0)
        XCTAssertLessThanOrEqual(standard, 8 << 30)
        XCTAssertEqual(try limit(unset.merging(["LOCAL_WORLD_SIZE": "4"]) { _, new in new }).bytes, standard / 4)
        XCTAssertEqual(try limit(["HARLAB_CPU_CACHE_LIMIT": "512M"]).bytes, 512 << 20)
        XCTAssertEqual(try limit(["HARLAB_CPU_CACHE_LIMIT": "1.5g"]).bytes, 3 << 29)
        XCTAssertEqual(try limit(["HARLAB_CPU_CACHE_LIMIT": "0"]).bytes, 0)
        let wrong = try limit(["HARLAB_CPU_CACHE_LIMIT": "lots", "LOCAL_WORLD_SIZE": ""])
        XCTAssertEqual(wrong.bytes, standard)
        XCTAssertTrue(wrong.stderr.contains("HARLAB_CPU_CACHE_LIMIT=lots is not a size"), wrong.stderr)
        let system = try JSONSerialization.jsonObject(with: Data(try status(allocator: "system").line.utf8)) as? [String: Any]
        XCTAssertTrue(system?["cpu_cache_limit"] is NSNull, "no cache, no limit: \(system ?? [:])")
    }
}

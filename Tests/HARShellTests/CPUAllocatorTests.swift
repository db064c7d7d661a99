import Foundation
import XCTest
@testable import HARShell
import TestSupport

/// `har` takes libtorch's large CPU buffers from the block cache unless `HARLAB_CPU_ALLOCATOR=system`, `status` says
/// which, and a misspelt value is named rather than ignored. (Three `har` starts: a few seconds.)
final class CPUAllocatorTests: IsolatedTestCase {
    private func status(allocator: String) throws -> (line: String, stderr: String) {
        let run = try HarBinary.run(["--no-rc", "--json", "-c", "status"], environment: ["HARLAB_CPU_ALLOCATOR": allocator])
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
}

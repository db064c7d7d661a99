import Foundation
import XCTest
@testable import HARShell
import TestSupport

/// `har` flushes subnormal floats to zero unless `HARLAB_DENORMALS=keep`, `status` says which, and a misspelt value
/// is named rather than ignored. (Three `har` starts: a second or two.)
final class DenormalsStatusTests: IsolatedTestCase {
    private func status(_ choice: String) throws -> (object: [String: Any], text: String, stderr: String) {
        let environment = ["HARLAB_DENORMALS": choice]
        let json = try HarBinary.run(["--no-rc", "--json", "-c", "status"], environment: environment)
        XCTAssertEqual(json.status, 0, json.stderr)
        let line = try XCTUnwrap(json.stdout.split(separator: "\n").first { $0.contains("\"command\":\"status\"") })
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let text = try HarBinary.run(["--no-rc", "-c", "status"], environment: environment)
        XCTAssertEqual(text.status, 0, text.stderr)
        return (object, text.stdout, json.stderr)
    }

    func testSubnormalsAreFlushedUnlessTheEnvironmentKeepsThem() throws {
        #if !(arch(x86_64) || arch(i386))
        throw XCTSkip("flush-to-zero is x86's MXCSR; harlab leaves other CPUs' float environment alone")
        #endif
        let flushed = try status("flush")
        XCTAssertEqual(flushed.object["denormals"] as? String, "flushed")
        XCTAssertTrue(flushed.text.contains("floats     subnormal floats flushed to zero (HARLAB_DENORMALS=keep keeps them)"), flushed.text)
        XCTAssertFalse(flushed.stderr.contains("is neither"), flushed.stderr)
        let kept = try status("keep")
        XCTAssertEqual(kept.object["denormals"] as? String, "kept")
        XCTAssertTrue(kept.text.contains("floats     subnormal floats kept (HARLAB_DENORMALS=keep)"), kept.text)
        let misspelt = try status("kep")
        XCTAssertEqual(misspelt.object["denormals"] as? String, "flushed")
        XCTAssertTrue(misspelt.stderr.contains("HARLAB_DENORMALS=kep is neither 'flush' nor 'keep'"), misspelt.stderr)
    }
}

import Foundation
import XCTest
import TestSupport

/// `har` under `ATEN_CPU_CAPABILITY`, in processes of its own (the shim and libtorch read the variable once): a cap below
/// AVX-512 makes `amp auto` float32 and keeps the fused kernels at or below the cap, whatever this machine's CPU, and
/// `status` says the cap and what libtorch's kernels use; a value libtorch ignores is ignored and named. (Four `har`
/// starts: a few seconds.)
final class CPUCapabilityCapProcessTests: IsolatedTestCase {
    /// `status --json` of a `har` started with `ATEN_CPU_CAPABILITY` set to `value` (unset for nil), and its stderr.
    private func status(_ value: String?) throws -> (fields: [String: Any], stderr: String) {
        var environment: [String: String] = [:]
        if let value { environment["ATEN_CPU_CAPABILITY"] = value }
        // HarBinary.run passes the test process's own environment on: unset the variable there for the nil case.
        let run = try HarBinary.run(["--no-rc", "--json", "-c", "status"], environment: environment,
                                    removing: value == nil ? ["ATEN_CPU_CAPABILITY"] : [])
        XCTAssertEqual(run.status, 0, run.stderr)
        let line = try XCTUnwrap(run.stdout.split(separator: "\n").first { $0.contains("\"command\":\"status\"") })
        return (try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]), run.stderr)
    }

    func testACapBelowAVX512MakesAutoFloat32AndTheFusedKernelsNoWider() throws {
        let avx2 = try status("avx2").fields
        XCTAssertEqual(avx2["train_precision"] as? String, "float32", "\(avx2)")
        XCTAssertTrue(["default", "avx2"].contains(avx2["fused_kernels"] as? String ?? "?"), "\(avx2)")
        XCTAssertEqual(avx2["libtorch_cpu_capability"] as? String, "avx2", "libtorch obeys the same value")
        XCTAssertEqual(avx2["cpu_capability_cap"] as? String, "capped to avx2 by ATEN_CPU_CAPABILITY")
        let none = try status("default").fields
        XCTAssertEqual(none["fused_kernels"] as? String, "default", "\(none)")
        XCTAssertEqual(none["libtorch_cpu_capability"] as? String, "default")
        XCTAssertEqual(none["train_precision"] as? String, "float32")
    }

    func testAValueLibtorchIgnoresCapsNothingAndIsNamed() throws {
        let unset = try status(nil).fields
        XCTAssertTrue(unset["cpu_capability_cap"] is NSNull, "\(unset)")
        let ignored = try status("AVX2")
        XCTAssertEqual(ignored.fields["cpu_capability_cap"] as? String,
                       "ATEN_CPU_CAPABILITY=AVX2 ignored, as libtorch ignores it: not one of default, avx2, avx512 (lower case)")
        for key in ["fused_kernels", "libtorch_cpu_capability", "train_precision"] {
            XCTAssertEqual(ignored.fields[key] as? String, unset[key] as? String, "\(key): an ignored value changes nothing")
        }
    }
}

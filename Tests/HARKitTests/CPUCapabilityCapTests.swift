import Foundation
import XCTest
import HARKit
import Torch
import TestSupport

/// `ATEN_CPU_CAPABILITY` read as libtorch 1.13 reads it (exact, lower-case `default`, `avx2`, `avx512`; anything else
/// ignored), and what the cap does to harlab's own CPU decisions, from fixed `/proc/cpuinfo` texts and variable values
/// (not from the machine running the test). What a capped `har` process does is in HARShellTests' `CPUCapabilityCapProcessTests`.
final class CPUCapabilityCapTests: IsolatedTestCase {
    /// A Zen 4's flags as its /proc/cpuinfo lists them (AVX-512 F, BW, VL, DQ and BF16).
    static let zen4 = "model name\t: AMD EPYC 9B14\nflags\t\t: sse2 avx fma avx2 avx512f avx512dq avx512bw avx512vl avx512_bf16\n"
    static let zen3 = "model name\t: AMD EPYC 7B13\nflags\t\t: sse2 avx fma avx2\n"

    func testValuesAreReadAsLibtorchReadsThem() {
        XCTAssertEqual(CPUCapabilityCap(environmentValue: nil), .unset)
        XCTAssertEqual(CPUCapabilityCap(environmentValue: "default"), .capped(.default))
        XCTAssertEqual(CPUCapabilityCap(environmentValue: "avx2"), .capped(.avx2))
        XCTAssertEqual(CPUCapabilityCap(environmentValue: "avx512"), .capped(.avx512))
        for invalid in ["AVX2", "Avx2", " avx2", "avx2 ", "", "avx", "avx512_bf16", "amx", "zen3", "2"] {
            XCTAssertEqual(CPUCapabilityCap(environmentValue: invalid), .ignored(invalid), "libtorch's strcmp ignores \(invalid.debugDescription)")
        }
        XCTAssertEqual(CPUCapabilityCap(environmentValue: "avx2").description, "capped to avx2 by ATEN_CPU_CAPABILITY")
        XCTAssertEqual(CPUCapabilityCap(environmentValue: "AVX2").description,
                       "ATEN_CPU_CAPABILITY=AVX2 ignored, as libtorch ignores it: not one of default, avx2, avx512 (lower case)")
    }

    func testTheCapLimitsTheCapabilityButNeverRaisesIt() {
        let zen4 = CPUDescription(cpuinfo: Self.zen4), zen3 = CPUDescription(cpuinfo: Self.zen3)
        XCTAssertEqual(zen4.hardwareCapability, .avx512)
        XCTAssertEqual(zen3.hardwareCapability, .avx2)
        XCTAssertEqual(CPUDescription(cpuinfo: "flags\t: sse2 avx2\n").hardwareCapability, .default, "AVX2 without FMA")
        XCTAssertEqual(CPUDescription(cpuinfo: "flags\t: avx2 fma avx512f\n").hardwareCapability, .avx2, "AVX-512 F alone")
        XCTAssertEqual(zen4.capability, .avx512, "unset: not capped")
        XCTAssertEqual(CPUDescription(cpuinfo: Self.zen4, cap: .capped(.avx2)).capability, .avx2)
        XCTAssertEqual(CPUDescription(cpuinfo: Self.zen4, cap: .capped(.default)).capability, .default)
        XCTAssertEqual(CPUDescription(cpuinfo: Self.zen3, cap: .capped(.avx512)).capability, .avx2, "a cap above the CPU")
        XCTAssertEqual(CPUDescription(cpuinfo: Self.zen4, cap: .ignored("AVX2")).capability, .avx512, "an ignored value")
    }

    func testACapBelowAVX512TurnsBFloat16ArithmeticOff() {
        for (cap, computes) in [(CPUCapabilityCap.unset, true), (.capped(.avx512), true), (.ignored("AVX2"), true),
                                (.capped(.avx2), false), (.capped(.default), false)] {
            let cpu = CPUDescription(cpuinfo: Self.zen4, cap: cap)
            XCTAssertTrue(cpu.hasBFloat16Instructions, "\(cap)")
            XCTAssertEqual(cpu.computesBFloat16, computes, "\(cap)")
            XCTAssertEqual(PrecisionChoice(.auto, on: cpu).precision, computes ? .bfloat16 : .float32, "\(cap)")
        }
        let capped = PrecisionChoice(.auto, on: CPUDescription(cpuinfo: Self.zen4, cap: .capped(.avx2)))
        XCTAssertEqual(capped.reason, "auto: capped to avx2 by ATEN_CPU_CAPABILITY, below the AVX-512 that bfloat16 arithmetic "
                       + "needs, where bfloat16 would be emulated and slow")
        let forced = PrecisionChoice(.on, on: CPUDescription(cpuinfo: Self.zen4, cap: .capped(.avx2))).warning ?? "no warning"
        XCTAssertTrue(forced.hasPrefix("amp on: ATEN_CPU_CAPABILITY caps this process below AVX-512"), forced)
        let zen3 = PrecisionChoice(.auto, on: CPUDescription(cpuinfo: Self.zen3, cap: .capped(.avx2)))
        XCTAssertTrue(zen3.reason.hasPrefix("auto: the CPU has no bfloat16 arithmetic"), "the CPU's own reason comes first: \(zen3.reason)")
    }

    func testBenchmarkLinesAndTheCPUNameSayTheCap() throws {
        let capped = CPUDescription(cpuinfo: Self.zen4, cap: .capped(.avx2))
        XCTAssertEqual(capped.nameWithCap, "AMD EPYC 9B14 (capped to avx2 by ATEN_CPU_CAPABILITY)")
        XCTAssertEqual(CPUDescription(cpuinfo: Self.zen4).nameWithCap, "AMD EPYC 9B14")
        XCTAssertNil(CPUDescription(cpuinfo: Self.zen4).capNote)
        let line = capped.stamping(#"{"model":"sa"}"#, cores: 2)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        XCTAssertEqual(object["cpu"] as? String, "AMD EPYC 9B14 (capped to avx2 by ATEN_CPU_CAPABILITY)")
        XCTAssertEqual(object["cpu_capability"] as? String, "avx2")
        XCTAssertEqual(object["cpu_features"] as? [String], ["avx2", "fma", "avx512f", "avx512_bf16"], "the flags stay the CPU's")
    }

    /// The shim and libtorch agree on this process: the fused kernels never run above the cap libtorch's kernels obey.
    func testThisProcessFollowsItsOwnVariable() throws {
        let cap = CPUCapabilityCap.current
        XCTAssertEqual(cap, CPUCapabilityCap(environmentValue: ProcessInfo.processInfo.environment["ATEN_CPU_CAPABILITY"]))
        if case .capped(let level) = cap {
            XCTAssertEqual(try CPUCapability.inLibTorch(), level, "libtorch takes a valid value as it is")
            XCTAssertLessThanOrEqual(FusedKernels.current.rawValue, level.rawValue)
            XCTAssertTrue(FusedKernels.available.allSatisfy { $0.rawValue <= level.rawValue })
            if level < .avx512 {
                XCTAssertThrowsError(try FusedKernels.force(.avx512), "a copy above the cap cannot be forced either")
                try FusedKernels.force(nil)
            }
        }
    }
}

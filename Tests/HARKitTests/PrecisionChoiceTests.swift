import Foundation
import XCTest
@testable import HARKit
import TestSupport

/// `amp auto|on|off` resolved against CPUs described by their /proc/cpuinfo flags: the decision is tested for every
/// kind of CPU on any machine; what this machine's CPU gets is tested in `TrainerFeatureTests`.
final class PrecisionChoiceTests: IsolatedTestCase {
    /// A /proc/cpuinfo holding `flags`.
    func cpu(_ flags: String) -> CPUDescription { CPUDescription(cpuinfo: "model name\t: Test CPU\nflags\t\t: sse2 \(flags)\n") }

    static let zen3 = "avx2 fma"
    static let zen4 = "avx2 fma avx512f avx512_bf16"
    static let sapphireRapids = "avx2 fma avx512f avx512_bf16 amx_tile amx_bf16"
    static let amxOnly = "avx2 fma amx_tile amx_bf16"

    func testAutoPicksBFloat16ExactlyWhereTheCPUComputesIt() {
        let zen4 = PrecisionChoice(.auto, on: cpu(Self.zen4))
        XCTAssertEqual(zen4.precision, .bfloat16)
        XCTAssertEqual(zen4.reason, "auto: the CPU computes bfloat16 (AVX-512 BF16)")
        XCTAssertEqual(PrecisionChoice(.auto, on: cpu(Self.sapphireRapids)).reason, "auto: the CPU computes bfloat16 (AVX-512 BF16, AMX-BF16)")
        XCTAssertEqual(PrecisionChoice(.auto, on: cpu(Self.amxOnly)).precision, .bfloat16)
        let zen3 = PrecisionChoice(.auto, on: cpu(Self.zen3))
        XCTAssertEqual(zen3.precision, .float32)
        XCTAssertTrue(zen3.reason.hasPrefix("auto: the CPU has no bfloat16 arithmetic"), zen3.reason)
        XCTAssertEqual(PrecisionChoice(.auto, on: cpu("avx512f amx_tile")).precision, .float32, "AVX-512 and AMX tiles without their bfloat16 parts")
        XCTAssertEqual(PrecisionChoice(.auto, on: CPUDescription(cpuinfo: "")).precision, .float32, "unreadable /proc/cpuinfo")
        XCTAssertNil(zen4.warning)
        XCTAssertNil(zen3.warning, "auto never warns: it does the right thing")
    }

    func testOnAndOffAreObeyedAndOnWarnsOnlyWithoutBFloat16Arithmetic() throws {
        for flags in [Self.zen3, Self.zen4, Self.sapphireRapids] {
            XCTAssertEqual(PrecisionChoice(.on, on: cpu(flags)).precision, .bfloat16, flags)
            XCTAssertEqual(PrecisionChoice(.off, on: cpu(flags)).precision, .float32, flags)
            XCTAssertNil(PrecisionChoice(.off, on: cpu(flags)).warning, flags)
        }
        XCTAssertNil(PrecisionChoice(.on, on: cpu(Self.zen4)).warning)
        let warning = try XCTUnwrap(PrecisionChoice(.on, on: cpu(Self.zen3)).warning)
        XCTAssertTrue(warning.contains("no bfloat16 arithmetic") && warning.contains("set amp auto"), warning)
        XCTAssertEqual("\(PrecisionChoice(.off, on: cpu(Self.zen4)))", "float32 (off: as set)")
    }

    func testDefaultIsAutoAndOlderTrueFalseConfigsStillRead() throws {
        XCTAssertEqual(TrainingConfig().mixedPrecision, .auto)
        let encoded = String(decoding: try JSONEncoder().encode(TrainingConfig()), as: UTF8.self)
        XCTAssertTrue(encoded.contains(#""mixedPrecision":"auto""#), encoded)
        func decoded(_ value: String) throws -> PrecisionMode {
            let text = encoded.replacingOccurrences(of: #""mixedPrecision":"auto""#, with: #""mixedPrecision":\#(value)"#)
            return try JSONDecoder().decode(TrainingConfig.self, from: Data(text.utf8)).mixedPrecision
        }
        XCTAssertEqual(try decoded("true"), .on, "a checkpoint or run written before `auto` that trained in bfloat16")
        XCTAssertEqual(try decoded("false"), .off)
        XCTAssertEqual(try decoded(#""off""#), .off)
        XCTAssertThrowsError(try decoded(#""maybe""#)) { XCTAssertTrue("\($0)".contains("expected auto, on or off"), "\($0)") }
    }
}

import XCTest
import HARKit
import Torch
import TestSupport

/// `har-bench` names the CPU beside every figure: model name and the vector features that pick the kernels, read from
/// fixed `/proc/cpuinfo` texts of the three kinds of machine seen (not from the machine running the test).
final class CPUDescriptionTests: IsolatedTestCase {
    static let zen3 = "processor\t: 0\nmodel name\t: AMD EPYC 7B13\nflags\t\t: fpu sse2 avx fma avx2\n"
    static let zen4 = "processor\t: 0\nmodel name\t: AMD EPYC 9B14\nflags\t\t: avx fma avx2 avx512f avx512_bf16\n"
    static let sapphireRapids = "model name\t: Intel(R) Xeon(R) Platinum 8481C\nflags\t\t: avx2 fma avx512f avx512_bf16 amx_bf16 amx_tile\n"

    func testFeaturesAndBFloat16ArithmeticAreReadFromTheFlags() {
        let zen3 = CPUDescription(cpuinfo: Self.zen3), zen4 = CPUDescription(cpuinfo: Self.zen4)
        let spr = CPUDescription(cpuinfo: Self.sapphireRapids)
        XCTAssertEqual(zen3.model, "AMD EPYC 7B13")
        XCTAssertEqual(zen3.features, ["avx2", "fma"])
        XCTAssertFalse(zen3.computesBFloat16)
        XCTAssertEqual(zen4.features, ["avx2", "fma", "avx512f", "avx512_bf16"])
        XCTAssertTrue(zen4.computesBFloat16)
        XCTAssertEqual(spr.features, ["avx2", "fma", "avx512f", "avx512_bf16", "amx_tile", "amx_bf16"], "in the fixed order")
        XCTAssertTrue(spr.computesBFloat16)
        XCTAssertEqual(CPUDescription(cpuinfo: "").model, "unknown CPU")
    }

    func testEveryBenchmarkLineIsStampedWithTheCPUAndItsCores() throws {
        let line = CPUDescription(cpuinfo: Self.zen4).stamping(#"{"model":"sa","train_samples_per_s":30.5}"#, cores: 2)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        XCTAssertEqual(object["cpu"] as? String, "AMD EPYC 9B14")
        XCTAssertEqual(object["cpu_features"] as? [String], ["avx2", "fma", "avx512f", "avx512_bf16"])
        XCTAssertEqual(object["cores"] as? Int, 2)
        XCTAssertEqual(object["recurrent_gemm"] as? String, Runtime.recurrentMatmulLibrary)
        XCTAssertEqual(object["recurrent_backward_gemm"] as? String, Runtime.recurrentBackwardProducts.rawValue)
        XCTAssertEqual(object["recurrent_batch_one_product"] as? String, Runtime.recurrentBatchOneProduct.rawValue)
        XCTAssertEqual(object["training_convolution"] as? String, Runtime.trainingConvolution)
        XCTAssertEqual(object["float32_training_convolution"] as? String, Runtime.float32TrainingConvolution)
        XCTAssertEqual(object["denormals"] as? String, Runtime.flushesDenormals.map { $0 ? "flushed" : "kept" })
        XCTAssertEqual(object["model"] as? String, "sa", "the line's own fields stay")
        XCTAssertEqual(CPUDescription(cpuinfo: Self.zen4).stamping("not json", cores: 2), "not json")
    }
}

import XCTest
import Torch
import HARKit
import TestSupport

/// What `har-bench` reports: the arithmetic ceiling read from a CPU description, training GFLOP/s from a model's
/// multiply-adds, and the ratios and peak fractions of a comparison, against hand-computed values.
final class BenchmarkReportingTests: IsolatedTestCase {
    private let zen3 = """
        processor\t: 0
        model name\t: AMD EPYC
        cpu MHz\t\t: 2445.424
        flags\t\t: fpu sse sse2 avx avx2 fma
        """

    func testPeakOfAnAVX2CoreCountsEightLanesAndTwoFMAPipes() throws {
        let peak = try ArithmeticPeak(cpuinfo: zen3, cores: 2)
        XCTAssertEqual(peak.vectorLanes, 8)
        XCTAssertEqual(peak.fmaUnits, 2)
        // 2 cores × 2 pipes × 2 FLOP × 8 lanes × 2.445424 GHz
        XCTAssertEqual(peak.theoreticalGFLOPs, 156.507136, accuracy: 1e-9)
    }

    func testPeakOfAnAVX512CoreCountsSixteenLanes() throws {
        let peak = try ArithmeticPeak(cpuinfo: "cpu MHz : 3000.0\nflags : avx avx2 fma avx512f avx512_bf16 amx_tile", cores: 1)
        XCTAssertEqual(peak.vectorLanes, 16)
        XCTAssertEqual(peak.theoreticalGFLOPs, 192, accuracy: 1e-9)
    }

    func testPeakWithoutAClockIsAnErrorNamingTheLine() {
        XCTAssertThrowsError(try ArithmeticPeak(cpuinfo: "flags : avx2", cores: 1)) { error in
            XCTAssertTrue("\(error)".contains("cpu MHz"), "\(error)")
        }
    }

    func testGEMMMeasurementIsAPositiveRate() throws {
        let threads = Runtime.threads
        defer { XCTAssertNoThrow(try Runtime.setThreads(threads)) }  // measuring sets the process-wide thread count
        let peak = try ArithmeticPeak.measure(threads: 1, size: 256, repetitions: 2)
        XCTAssertGreaterThan(peak.gemmGFLOPs, 0)
        XCTAssertTrue(peak.gemmGFLOPs.isFinite)
        XCTAssertTrue(peak.jsonLine.contains("\"gemm_size\":256"), peak.jsonLine)
    }

    func testTrainingRateIsSixFLOPPerMultiplyAddPerWindow() throws {
        let result = BenchmarkResult(tool: "harlab", model: "sa", dataset: "uci", threads: 2, bf16: false, batch: 128,
                                     trainSamplesPerSecond: 100, inferLatencyMs: 1, inferWindowsPerSecond: 1000, macsPerWindow: 1_000_000)
        XCTAssertEqual(result.trainGFLOPs, 0.6, accuracy: 1e-12)
        let reread = try BenchmarkResult(jsonLine: result.jsonLine)
        XCTAssertEqual(reread, result)
        XCTAssertTrue(result.jsonLine.contains("\"train_gflop_per_s\":0.6"), result.jsonLine)
    }

    func testComparisonReportsRatiosAndFractionsOfBothTools() throws {
        let ours = BenchmarkResult(tool: "harlab", model: "sa", dataset: "dsads", threads: 2, bf16: false, batch: 128,
                                   trainSamplesPerSecond: 200, inferLatencyMs: 2, inferWindowsPerSecond: 900, macsPerWindow: 100_000_000)
        let theirs = BenchmarkResult(tool: "pytorch", model: "sa", dataset: "dsads", threads: 2, bf16: false, batch: 128,
                                     trainSamplesPerSecond: 100, inferLatencyMs: 3, inferWindowsPerSecond: 300)
        let peak = try ArithmeticPeak(cpuinfo: "cpu MHz : 1875.0\nflags : avx2 fma", cores: 2, gemmGFLOPs: 150, gemmSize: 2048)
        XCTAssertEqual(peak.theoreticalGFLOPs, 120, accuracy: 1e-9)
        let line = ours.comparison(with: theirs, peak: peak)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        XCTAssertEqual(object["train_speedup"] as? Double, 2)
        XCTAssertEqual(object["latency_speedup"] as? Double, 1.5)
        XCTAssertEqual(object["throughput_speedup"] as? Double, 3)
        XCTAssertEqual(object["train_gflop_per_s"] as? [Double], [120, 60])
        XCTAssertEqual(object["fraction_of_peak"] as? [Double], [1, 0.5])
        XCTAssertEqual(object["fraction_of_gemm"] as? [Double], [0.8, 0.4])
    }

    func testCPUTimeRateTravelsThroughTheLineAndIntoTheComparison() throws {
        let ours = BenchmarkResult(tool: "harlab", model: "sa", dataset: "uci", threads: 1, bf16: false, batch: 64,
                                   trainSamplesPerSecond: 50, inferLatencyMs: 0, inferWindowsPerSecond: 0, trainSamplesPerCPUSecond: 90)
        let theirs = BenchmarkResult(tool: "pytorch", model: "sa", dataset: "uci", threads: 1, bf16: false, batch: 64,
                                     trainSamplesPerSecond: 40, inferLatencyMs: 0, inferWindowsPerSecond: 0, trainSamplesPerCPUSecond: 60)
        XCTAssertTrue(ours.jsonLine.contains("\"train_samples_per_cpu_s\":90"), ours.jsonLine)
        XCTAssertEqual(try BenchmarkResult(jsonLine: ours.jsonLine), ours)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(ours.comparison(with: theirs).utf8)) as? [String: Any])
        XCTAssertEqual(object["train_cpu_speedup"] as? Double, 1.5)
        // Without a CPU-time rate (an older peer line) the field is neither printed nor compared.
        let unmeasured = BenchmarkResult(tool: "pytorch", model: "sa", dataset: "uci", threads: 1, bf16: false, batch: 64,
                                         trainSamplesPerSecond: 40, inferLatencyMs: 1, inferWindowsPerSecond: 1)
        XCTAssertFalse(unmeasured.jsonLine.contains("cpu_s"), unmeasured.jsonLine)
        XCTAssertNil(try XCTUnwrap(JSONSerialization.jsonObject(with: Data(ours.comparison(with: unmeasured).utf8)) as? [String: Any])["train_cpu_speedup"])
    }

    /// `cnn` benchmarked on the UCI-HAR shape, one thread, batch 32, with `repetitions` inference calls; the
    /// process-wide thread count the benchmark sets is put back.
    private func cnnBenchmark(samples: Int, repetitions: Int) throws -> (result: BenchmarkResult, shape: BenchmarkShape) {
        let shape = try XCTUnwrap(BenchmarkShape.named("uci"))
        let threads = Runtime.threads
        defer { XCTAssertNoThrow(try Runtime.setThreads(threads)) }
        let settings = TrainingBenchmark.Settings(threads: 1, samples: samples, epochs: 1, batch: 32, bf16: false, repetitions: repetitions)
        return (try TrainingBenchmark.run(model: "cnn", shape: shape, settings: settings), shape)
    }

    func testTrainingOnlyBenchmarkMeasuresCPUTimeAndSkipsInference() throws {
        let (result, _) = try cnnBenchmark(samples: 32, repetitions: 0)
        XCTAssertGreaterThan(result.trainSamplesPerCPUSecond, 0)
        XCTAssertTrue(result.trainSamplesPerCPUSecond.isFinite)
        XCTAssertEqual(result.inferLatencyMs, 0)
        XCTAssertEqual(result.inferWindowsPerSecond, 0)
    }

    func testTrainingBenchmarkCarriesTheModelsMultiplyAdds() throws {
        let (result, shape) = try cnnBenchmark(samples: 64, repetitions: 2)
        let model = try ModelFactory.make(try ModelSpec("cnn"), input: shape.input)
        XCTAssertEqual(result.macsPerWindow, try ModelSummary(of: model).macs)
        XCTAssertGreaterThan(result.trainGFLOPs, 0)
    }
}

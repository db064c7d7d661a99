import Foundation
import Torch
import XCTest
@testable import HARKit
import TestSupport

/// Resident memory stays flat over many training steps and many model create/free cycles.
///
/// Bound: after a warm-up (allocator pools, oneDNN caches), 1,000 more steps or cycles may add at most 32 MiB
/// of resident memory, i.e. a leak of more than about 32 KiB per iteration fails (one [32, 1, 32, 6] batch of
/// activations or gradients is 24 KiB or more per layer).
final class MemoryTests: IsolatedTestCase {
    private let boundBytes = 32 << 20
    private let shape = InputShape(time: 32, channels: 6, classes: 6)

    /// Resident set size from /proc/self/statm.
    private func residentBytes() throws -> Int {
        let fields = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8).split(separator: " ")
        return (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    private func growth(warmUp: Int, steps: Int, _ body: () throws -> Void) throws -> Int {
        for _ in 0..<warmUp { try body() }
        let before = try residentBytes()
        for _ in 0..<steps { try body() }
        return try residentBytes() - before
    }

    func testThousandTrainingStepsKeepResidentMemoryFlat() throws {
        Runtime.manualSeed(1)
        let model = try ModelFactory.make(try ModelSpec("sa", options: ["width": "8", "depth": "2"]), input: shape)
        let optimizer = AdamW(model.parameters, learningRate: 1e-3, weightDecay: 1e-3)
        let x = try Tensor.randn([32, 1, 32, 6]), y = try Tensor((0..<32).map { Int64($0 % 6) }, shape: [32])
        let grown = try growth(warmUp: 200, steps: 1_000) {
            try optimizer.zeroGrad()
            try Functional.crossEntropy(logits: try model(x), labels: y).backward()
            try optimizer.step()
        }
        print("memory: 1,000 training steps grew resident memory by \(grown / 1024) KiB (bound \(boundBytes >> 20) MiB)")
        XCTAssertLessThan(grown, boundBytes)
    }

    func testThousandModelCreateFreeCyclesKeepResidentMemoryFlat() throws {
        let specs = try [ModelSpec("sa", options: ["width": "8", "depth": "2"]), ModelSpec("lstm", options: ["hidden": "16"]),
                         ModelSpec("transformer", options: ["hidden": "16", "heads": "2", "layers": "1"])]
        var index = 0
        let x = try Tensor.randn([2, 1, 32, 6])
        let grown = try growth(warmUp: 100, steps: 1_000) {
            let model = try ModelFactory.make(specs[index % specs.count], input: shape)
            _ = try model(x)
            index += 1
        }
        print("memory: 1,000 model create/forward/free cycles grew resident memory by \(grown / 1024) KiB (bound \(boundBytes >> 20) MiB)")
        XCTAssertLessThan(grown, boundBytes)
    }
}

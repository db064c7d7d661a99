import Foundation
import Torch
@testable import HARKit

/// The closed-form initial weights and batches of `scripts/make_training_equivalence_fixture.py`, rebuilt bit for bit
/// (every operation before the final float32 rounding is exact in float64, so both sides round the same values).
enum EquivalenceFormula {
    /// The script's 32-bit mix of an index and a stream, modulo 2^32.
    static func hash(_ index: Int, stream: Int) -> UInt32 {
        var h = UInt32(truncatingIfNeeded: index) &* 0x9E37_79B1 &+ UInt32(truncatingIfNeeded: stream) &* 0x85EB_CA77 &+ 0x1656_67B1
        h ^= h >> 15
        h = h &* 0x2C1B_3C6D
        h ^= h >> 12
        h = h &* 0x297A_2D39
        h ^= h >> 15
        return h
    }

    /// A value in (-1, 1), exact in float64.
    static func uniform(_ index: Int, stream: Int) -> Double {
        (Double(hash(index, stream: stream)) + 0.5) / 4_294_967_296 * 2 - 1
    }

    /// The initial state of `model`: conv and linear tensors uniform in ±1/√fan-in of their layer's weight (entry k uses
    /// stream k + 1), batch norm at PyTorch's defaults.
    static func initialState(of model: any HARModel) throws -> StateDict {
        let entries = model.stateDict().entries
        let shapes = Dictionary(uniqueKeysWithValues: entries.map { ($0.name, $0.tensor.shape) })
        var state = StateDict()
        for (k, entry) in entries.enumerated() {
            let parts = entry.name.split(separator: ".")
            let owner = parts.dropLast().joined(separator: "."), leaf = parts.last.map(String.init) ?? ""
            let count = entry.tensor.count
            let values: [Float]
            if leaf == "running_var" {
                values = Array(repeating: 1, count: count)
            } else if leaf == "running_mean" || leaf == "num_batches_tracked" {
                values = Array(repeating: 0, count: count)
            } else if let weight = shapes[owner + ".weight"], weight.count == 1 {
                values = Array(repeating: leaf == "weight" ? 1 : 0, count: count)
            } else if let weight = shapes[owner + ".weight"] {
                let bound = 1 / Double(weight.dropFirst().reduce(1, *)).squareRoot()
                values = (0..<count).map { Float(bound * uniform($0, stream: k + 1)) }
            } else {
                throw TorchError("no formula for state entry \(entry.name)")
            }
            state.set(entry.name, try Tensor(values, shape: entry.tensor.shape).converted(to: entry.tensor.dtype))
        }
        return state
    }

    /// `steps` batches of `batch` windows as one training split, in batch order: label `hash(n, 1000) mod K`,
    /// values `1.5·uniform(n·T·C + t·C + c, 2000) + uniform(label·T·C + t·C + c, 3000)`.
    static func dataset(_ shape: InputShape, windows: Int) throws -> HARDataset {
        let size = shape.time * shape.channels
        let labels = (0..<windows).map { Int(hash($0, stream: 1000) % UInt32(shape.classes)) }
        var values = [Float](repeating: 0, count: windows * size)
        for n in 0..<windows {
            for cell in 0..<size {
                values[n * size + cell] = Float(1.5 * uniform(n * size + cell, stream: 2000) + uniform(labels[n] * size + cell, stream: 3000))
            }
        }
        let description = DatasetProtocol(window: shape.time, overlap: 0, stride: shape.time, split: "all train", normalized: false,
                                          mean: [], std: [], windowing: "formula", validationFraction: 0, seed: 0, sourcePath: "", dropped: [])
        return try HARDataset(name: "equivalence", windows: values, labels: labels, subjects: Array(repeating: 0, count: windows),
                              splits: Array(repeating: .train, count: windows), classNames: (0..<shape.classes).map { "c\($0)" },
                              channelNames: (0..<shape.channels).map { "ch\($0)" }, sampleRate: 1, windowLength: shape.time,
                              protocolDescription: description)
    }
}

/// One case of `Fixtures/training/equivalence.json`.
struct EquivalenceCase: Decodable {
    let model: String
    let dataset: String
    let time: Int
    let channels: Int
    let classes: Int
    let batch: Int
    let steps: Int
    let learningRate: Double
    let weightDecay: Double
    let parameters: Int
    /// PyTorch's float32 loss of each step.
    let losses: [Double]
    /// The same steps' losses in float64.
    let float64Losses: [Double]
    /// PyTorch's float32 L1 change of each state entry over the steps.
    let changeL1: [String: Double]
    /// The same in float64.
    let float64ChangeL1: [String: Double]

    /// The fixture's cases.
    static func load() throws -> [EquivalenceCase] {
        struct Document: Decodable { let cases: [EquivalenceCase] }
        let url = Bundle.module.url(forResource: "Fixtures/training/equivalence", withExtension: "json")!
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Document.self, from: Data(contentsOf: url)).cases
    }

    var input: InputShape { InputShape(time: time, channels: channels, classes: classes) }
}

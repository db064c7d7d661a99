import XCTest
@testable import Torch
import TestSupport

/// The inference path of LSTM and GRU (`ctorch_recurrent.cpp`: one projection GEMM per layer, a GEMV or small GEMM
/// per step) gives libtorch's fused kernel's outputs, and runs exactly where no autograd or training needs that kernel.
///
/// Tolerances: every output is a short chain of sums of at most 2·hidden + 1 = 17 (small), 97 (wide) or 301 (batch 1
/// at 150 units) products of O(1) values through sigmoid/tanh (slope ≤ 1), over ≤ 12 steps whose recurrence
/// damps errors (|f|, |z| < 1). Any summation order, vector width or FMA use keeps each sum within n·ε of its
/// magnitude, so 200·ε per step (float32 2.4e-5, float64 4.4e-14) times the 12 steps is above the worst case on any
/// CPU, and far below a wrong gate.
final class RecurrentInferenceTests: IsolatedTestCase {
    private func tolerance(_ dtype: DType, steps: Int) -> Double {
        (dtype == .float64 ? 2.2e-16 : 1.19e-7) * 200 * Double(steps)
    }

    /// Outputs and final states of both paths on the same layer and input, in both dtypes, batch 1 and 3, with and
    /// without an initial state, batch-first and time-major.
    func testInferencePathMatchesTheFusedKernel() throws {
        Runtime.manualSeed(11)
        for dtype in [DType.float64, .float32] {
            for (batch, batchFirst, withState) in [(1, true, false), (3, true, true), (1, false, true), (3, false, false)] {
                // At batch 1 the rows of W_hh are taken in an order that alternates step to step, where oneDNN
                // multiplies by blocks of 256 KiB: 150 units make two uneven blocks for both cells.
                let (steps, hidden) = (12, batch == 1 ? 150 : 48)
                let lstm = try LSTM(inputSize: 5, hiddenSize: hidden, layers: 2, batchFirst: batchFirst)
                let gru = try GRU(inputSize: 5, hiddenSize: hidden, layers: 2, batchFirst: batchFirst)
                try lstm.convert(to: dtype)
                try gru.convert(to: dtype)
                lstm.setTraining(false)
                gru.setTraining(false)
                let x = try Tensor.randn(batchFirst ? [batch, steps, 5] : [steps, batch, 5], dtype: dtype)
                let h0 = withState ? try Tensor.randn([2, batch, hidden], dtype: dtype) : nil
                let c0 = withState ? try Tensor.randn([2, batch, hidden], dtype: dtype) : nil
                let initial = h0.flatMap { h in c0.map { (h: h, c: $0) } }
                let what = "\(dtype) batch \(batch) batchFirst \(batchFirst) state \(withState)"
                let tolerance = tolerance(dtype, steps: steps)

                let fusedLSTM = try lstm.forward(x, initial: initial)
                let fastLSTM = try withInferenceMode { try lstm.forward(x, initial: initial) }
                try assertClose(fastLSTM.output, fusedLSTM.output, tolerance: tolerance, "LSTM output, \(what)")
                try assertClose(fastLSTM.state.h, fusedLSTM.state.h, tolerance: tolerance, "LSTM h, \(what)")
                try assertClose(fastLSTM.state.c, fusedLSTM.state.c, tolerance: tolerance, "LSTM c, \(what)")

                let fusedGRU = try gru.forward(x, initial: h0)
                let fastGRU = try withInferenceMode { try gru.forward(x, initial: h0) }
                try assertClose(fastGRU.output, fusedGRU.output, tolerance: tolerance, "GRU output, \(what)")
                try assertClose(fastGRU.state, fusedGRU.state, tolerance: tolerance, "GRU h, \(what)")
            }
        }
    }

    /// The inference path keeps each layer's W_ih, and at batches above 1 its W_hh, transposed between calls
    /// (`ctorch_transposed_weights.cpp`).
    /// After each kind of change to the weights — an in-place update as an optimizer step makes, `loadState`, a dtype
    /// conversion — its outputs still match the autograd path's on the new weights (a stale transpose would give the old
    /// weights' outputs, far outside the tolerance), the change replaces the entries instead of adding to them, and a
    /// freed layer's entries go at the next new entry.
    func testTransposedWeightsFollowEveryChangeToTheWeights() throws {
        Runtime.manualSeed(17)
        let (batch, steps, hidden) = (2, 7, 24)
        let x = try Tensor.randn([batch, steps, 9])
        func assertPathsAgree(_ lstm: LSTM, _ what: String, file: StaticString = #filePath, line: UInt = #line) throws {
            let input = try x.converted(to: lstm.parameters[0].dtype)
            let reference = try lstm.forward(input)
            let fast = try withInferenceMode { try lstm.forward(input) }
            try assertClose(fast.output, reference.output, tolerance: tolerance(input.dtype, steps: steps), what, file: file, line: line)
        }
        var entriesWithTheLayer = 0
        do {
            let lstm = try LSTM(inputSize: 9, hiddenSize: hidden, layers: 2, batchFirst: true)
            lstm.setTraining(false)
            try assertPathsAgree(lstm, "fresh weights")
            entriesWithTheLayer = Functional.recurrentInferenceCachedWeights
            XCTAssertGreaterThanOrEqual(entriesWithTheLayer, 4, "W_ih and W_hh of both layers are kept")
            try withNoGrad { for weight in lstm.parameters { try weight.multiply(by: -0.7) } }
            try assertPathsAgree(lstm, "after an in-place update")
            let other = try LSTM(inputSize: 9, hiddenSize: hidden, layers: 2, batchFirst: true)
            try lstm.loadState(other.stateDict())
            try assertPathsAgree(lstm, "after loadState")
            XCTAssertEqual(Functional.recurrentInferenceCachedWeights, entriesWithTheLayer, "changed weights replace their entries")
            try lstm.convert(to: .float64)
            try assertPathsAgree(lstm, "after conversion to float64")
        }
        let beforeTheGRU = Functional.recurrentInferenceCachedWeights
        let gru = try GRU(inputSize: 9, hiddenSize: hidden, layers: 1, batchFirst: true)
        gru.setTraining(false)
        _ = try withInferenceMode { try gru.forward(x) }
        // The freed LSTM's 4 entries went at the GRU's first miss; the GRU's 2 came.
        XCTAssertLessThanOrEqual(Functional.recurrentInferenceCachedWeights, beforeTheGRU - 2, "a freed layer's entries are dropped")
        XCTAssertGreaterThanOrEqual(Functional.recurrentInferenceCachedWeights, 2)
    }

    /// One step of one sample: the input projection has a single row, where a bias expanded to it is already
    /// contiguous, so a buffer made as `bias.expand(...).contiguous()` would be the bias itself and the products would
    /// overwrite it. Every path leaves every weight as it was and still matches the cell equations' path (float64
    /// `at::lstm`/`at::gru` under `withNoGrad` on a copy made before).
    func testOneStepOfOneSampleLeavesTheWeightsUnchanged() throws {
        Runtime.manualSeed(19)
        for dtype in [DType.float32, .float64] {
            let x = try Tensor.randn([1, 1, 6], dtype: dtype)
            for cell in ["lstm", "gru"] {
                let layer: any Module = cell == "lstm" ? try LSTM(inputSize: 6, hiddenSize: 8, batchFirst: true)
                                                        : try GRU(inputSize: 6, hiddenSize: 8, batchFirst: true)
                try layer.convert(to: dtype)
                let before = try layer.parameters.map { try $0.scalars(as: Double.self) }
                func run() throws -> Tensor {
                    if let lstm = layer as? LSTM { return try lstm.forward(x).output }
                    return try (layer as! GRU).forward(x).output
                }
                layer.setTraining(true)
                let trained = try run()  // the training path (autograd recording)
                try trained.sum().backward()
                layer.setTraining(false)
                let inferred = try withInferenceMode { try run() }
                let after = try layer.parameters.map { try $0.scalars(as: Double.self) }
                XCTAssertEqual(after, before, "\(cell) \(dtype): the weights are unchanged")
                try assertClose(inferred, trained.detached(), tolerance: tolerance(dtype, steps: 1), "\(cell) \(dtype)")
            }
            let linear = try Linear(6, 3)
            try linear.convert(to: dtype)
            let bias = try XCTUnwrap(linear.bias).scalars(as: Double.self)
            _ = try linear(try x.reshaped(to: [6]))
            _ = try withInferenceMode { try linear(try x.reshaped(to: [1, 6])) }
            XCTAssertEqual(try XCTUnwrap(linear.bias).scalars(as: Double.self), bias, "Linear \(dtype): one row leaves the bias")
        }
    }

    /// float32 LSTM steps take the gate maths in one pass (`ctorch::fused::lstm_cell`), compiled once per instruction
    /// set: every copy this CPU runs, on the inference path and on the training path, against the same layer and
    /// input in float64 (libtorch's element-wise calls), with a hidden size of 37 so that every vector width leaves
    /// tail lanes. Tolerance as above: float32 against float64 is within the same bound as two float32 orders.
    func testTheOnePassLSTMCellMatchesFloat64OnEveryInstructionSet() throws {
        Runtime.manualSeed(31)
        let (batch, steps, hidden) = (3, 10, 37)
        let lstm = try LSTM(inputSize: 6, hiddenSize: hidden, layers: 2)
        lstm.setTraining(false)
        let x = try Tensor.randn([batch, steps, 6])
        let c0 = try Tensor.randn([2, batch, hidden]), h0 = try Tensor.randn([2, batch, hidden])
        defer { try? FusedKernels.force(nil) }
        var runs: [(String, [Double], [Double])] = []
        for isa in FusedKernels.available {
            try FusedKernels.force(isa)
            let inference = try withInferenceMode { try lstm.forward(x, initial: (h0, c0)) }
            let training = try lstm.forward(x, initial: (h0, c0))
            for (path, result) in [("inference", inference), ("training", training)] {
                runs.append(("\(isa) \(path)", try result.output.scalars(as: Double.self), try result.state.c.scalars(as: Double.self)))
            }
        }
        try FusedKernels.force(nil)
        try lstm.convert(to: .float64)
        let expected = try withInferenceMode {
            try lstm.forward(x.converted(to: .float64), initial: (h0.converted(to: .float64), c0.converted(to: .float64)))
        }
        let (output, cell) = (try expected.output.scalars(as: Double.self), try expected.state.c.scalars(as: Double.self))
        let bound = tolerance(.float32, steps: steps)
        XCTAssertGreaterThanOrEqual(runs.count, 2, "at least the baseline copy on both paths")
        for (what, ours, ourCell) in runs {
            XCTAssertEqual(ours.count, output.count, what)
            XCTAssertLessThan(zip(ours, output).map { Swift.abs($0 - $1) }.max() ?? .infinity, bound, "output, \(what)")
            XCTAssertLessThan(zip(ourCell, cell).map { Swift.abs($0 - $1) }.max() ?? .infinity, bound, "c_n, \(what)")
        }
    }

    /// At batch 1 the float32 hidden product h·W_hhᵀ is the shim's one-pass product (one copy per instruction set) or
    /// oneDNN's sgemm by blocks of W_hh's rows (`Runtime.recurrentBatchOneProduct` names the CPU's choice): each, with
    /// every copy this CPU runs, on one and on two threads, against the same layers in float64. 37 units leave GRU's
    /// 111 rows short of a group of four and every vector width's columns with a tail; 150 put W_hh above a 256 KiB
    /// block and give each of two threads its own range of rows; the nine steps alternate the row order.
    func testEveryBatchOneProductMatchesFloat64() throws {
        Runtime.manualSeed(41)
        let threadsBefore = Runtime.threads
        defer {
            Runtime.forceRecurrentBatchOneProduct(nil)
            try? FusedKernels.force(nil)
            try? Runtime.setThreads(threadsBefore)
        }
        let steps = 9
        for hidden in [37, 150] {
            let lstm = try LSTM(inputSize: 7, hiddenSize: hidden, layers: 2)
            let gru = try GRU(inputSize: 7, hiddenSize: hidden, layers: 2)
            lstm.setTraining(false)
            gru.setTraining(false)
            let x = try Tensor.randn([1, steps, 7])
            var runs: [(what: String, lstm: [Double], gru: [Double])] = []
            for product in RecurrentBatchOneProduct.allCases {
                Runtime.forceRecurrentBatchOneProduct(product)
                for isa in FusedKernels.available {
                    try FusedKernels.force(isa)
                    for threads in [1, 2] {
                        try Runtime.setThreads(threads)
                        runs.append(("hidden \(hidden), \(product.rawValue), \(isa), \(threads) threads",
                                     try withInferenceMode { try lstm(x) }.scalars(as: Double.self),
                                     try withInferenceMode { try gru(x) }.scalars(as: Double.self)))
                    }
                }
            }
            Runtime.forceRecurrentBatchOneProduct(nil)
            try FusedKernels.force(nil)
            try Runtime.setThreads(threadsBefore)
            try lstm.convert(to: .float64)
            try gru.convert(to: .float64)
            let x64 = try x.converted(to: .float64)
            let expectedLSTM = try withInferenceMode { try lstm(x64) }.scalars(as: Double.self)
            let expectedGRU = try withInferenceMode { try gru(x64) }.scalars(as: Double.self)
            XCTAssertGreaterThanOrEqual(runs.count, 4, "both products, at least the baseline copy")
            let bound = tolerance(.float32, steps: steps)
            for run in runs {
                for (cell, ours, expected) in [("LSTM", run.lstm, expectedLSTM), ("GRU", run.gru, expectedGRU)] {
                    XCTAssertEqual(ours.count, expected.count, "\(cell), \(run.what)")
                    let worst = zip(ours, expected).map { Swift.abs($0 - $1) }.max() ?? .infinity
                    XCTAssertLessThan(worst, bound, "\(cell) output, \(run.what)")
                }
            }
        }
    }

    /// Both cells against the textbook equations, written out here in Double over plain arrays (PyTorch's gate order:
    /// LSTM i, f, g, o; GRU r, z, n with the reset gate applied to W_hn·h + b_hn).
    func testInferencePathMatchesTheCellEquations() throws {
        Runtime.manualSeed(5)
        let (batch, steps, inputs, hidden) = (2, 6, 3, 4)
        let x = try Tensor.randn([batch, steps, inputs], dtype: .float64)
        let lstm = try LSTM(inputSize: inputs, hiddenSize: hidden, layers: 2)
        let gru = try GRU(inputSize: inputs, hiddenSize: hidden, layers: 2)
        for layer in [lstm, gru] as [any Module] {
            try layer.convert(to: .float64)
            layer.setTraining(false)
        }
        let expectedLSTM = try CellEquations(module: lstm, layers: 2).run(x: x.scalars(as: Double.self), batch: batch, steps: steps,
                                                                         inputs: inputs, cell: .lstm)
        let expectedGRU = try CellEquations(module: gru, layers: 2).run(x: x.scalars(as: Double.self), batch: batch, steps: steps,
                                                                       inputs: inputs, cell: .gru)
        let actualLSTM = try withInferenceMode { try lstm(x).scalars(as: Double.self) }
        let actualGRU = try withInferenceMode { try gru(x).scalars(as: Double.self) }
        for (name, actual, expected) in [("LSTM", actualLSTM, expectedLSTM), ("GRU", actualGRU, expectedGRU)] {
            XCTAssertEqual(actual.count, expected.count, name)
            let worst = zip(actual, expected).map { Swift.abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThan(worst, 1e-12, "\(name): inference path differs from the cell equations")
        }
    }

    /// Training, recording autograd, autocast, a second direction and an unbatched input keep the fused kernel;
    /// evaluation under `withNoGrad` or `withInferenceMode` takes the inference path.
    func testInferencePathRunsOnlyWithoutAutograd() throws {
        let layer = try LSTM(inputSize: 3, hiddenSize: 4, layers: 2)
        let parameters = layer.namedParameters().map(\.tensor)
        let x = try Tensor.randn([2, 5, 3])
        func applies(training: Bool = false, bidirectional: Bool = false, input: Tensor? = nil) throws -> Bool {
            try Functional.usesRecurrentInferencePath(.lstm, input ?? x, parameters: parameters, layers: 2, training: training,
                                                      bidirectional: bidirectional)
        }
        XCTAssertFalse(try applies(), "autograd is recording")
        XCTAssertTrue(try withInferenceMode { try applies() })
        XCTAssertTrue(try withNoGrad { try applies() })
        XCTAssertFalse(try withInferenceMode { try applies(training: true) })
        XCTAssertFalse(try withInferenceMode { try applies(bidirectional: true) })
        XCTAssertFalse(try withInferenceMode { try applies(input: try Tensor.randn([5, 3])) })
        XCTAssertFalse(try withInferenceMode { try applies(input: try Tensor.randn([2, 5, 3], dtype: .float64)) }, "mixed dtypes")
        XCTAssertFalse(try Autocast.run { try withInferenceMode { try applies() } }, "CPU autocast is on")
    }

    /// Weights that do not fit the input fail with a message naming the layer, not a crash or a wrong answer.
    func testMisfittingWeightsAreNamed() throws {
        let layer = try LSTM(inputSize: 3, hiddenSize: 4, layers: 2)
        var parameters = layer.namedParameters().map(\.tensor)
        parameters[5] = try Tensor.randn([16, 5])
        XCTAssertThrowsError(try withInferenceMode {
            try Functional.lstm(try Tensor.randn([1, 5, 3]), parameters: parameters, layers: 2)
        }) { error in
            XCTAssertTrue("\(error)".contains("layer 1"), "\(error)")
        }
    }
}

/// LSTM and GRU step equations over plain arrays, independent of libtorch's kernels.
private struct CellEquations {
    /// Per layer: w_ih rows, w_hh rows, b_ih, b_hh.
    let weights: [(wih: [[Double]], whh: [[Double]], bih: [Double], bhh: [Double])]

    init(module: any Module, layers: Int) throws {
        let named = Dictionary(uniqueKeysWithValues: module.namedParameters().map { ($0.name, $0.tensor) })
        func rows(_ name: String) throws -> [[Double]] {
            let tensor = try XCTUnwrap(named[name], name)
            let values = try tensor.scalars(as: Double.self), width = tensor.shape[1]
            return stride(from: 0, to: values.count, by: width).map { Array(values[$0..<$0 + width]) }
        }
        weights = try (0..<layers).map { l in
            (try rows("weight_ih_l\(l)"), try rows("weight_hh_l\(l)"),
             try XCTUnwrap(named["bias_ih_l\(l)"]).scalars(as: Double.self), try XCTUnwrap(named["bias_hh_l\(l)"]).scalars(as: Double.self))
        }
    }

    /// The last layer's outputs `[batch, steps, hidden]`, flattened, for batch-first `x`.
    func run(x: [Double], batch: Int, steps: Int, inputs: Int, cell: RecurrentCell) -> [Double] {
        func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        func sigmoid(_ v: Double) -> Double { 1 / (1 + Foundation.exp(-v)) }
        var sequences = (0..<batch).map { b in (0..<steps).map { t in Array(x[(b * steps + t) * inputs..<(b * steps + t + 1) * inputs]) } }
        for w in weights {
            let hidden = w.whh[0].count
            sequences = sequences.map { sequence in
                var h = [Double](repeating: 0, count: hidden), c = h, outputs: [[Double]] = []
                for input in sequence {
                    let gi = w.wih.indices.map { dot(w.wih[$0], input) + w.bih[$0] }
                    let gh = w.whh.indices.map { dot(w.whh[$0], h) + w.bhh[$0] }
                    if cell == .lstm {
                        for j in 0..<hidden {
                            let i = sigmoid(gi[j] + gh[j]), f = sigmoid(gi[hidden + j] + gh[hidden + j])
                            let g = Foundation.tanh(gi[2 * hidden + j] + gh[2 * hidden + j]), o = sigmoid(gi[3 * hidden + j] + gh[3 * hidden + j])
                            c[j] = f * c[j] + i * g
                            h[j] = o * Foundation.tanh(c[j])
                        }
                    } else {
                        h = (0..<hidden).map { j in
                            let r = sigmoid(gi[j] + gh[j]), z = sigmoid(gi[hidden + j] + gh[hidden + j])
                            let n = Foundation.tanh(gi[2 * hidden + j] + r * gh[2 * hidden + j])
                            return (1 - z) * n + z * h[j]
                        }
                    }
                    outputs.append(h)
                }
                return outputs
            }
        }
        return sequences.flatMap { $0.flatMap { $0 } }
    }
}

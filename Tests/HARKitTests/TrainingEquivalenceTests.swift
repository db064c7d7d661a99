import XCTest
import Torch
@testable import HARKit
import TestSupport

/// harlab's training step against the PyTorch reference's (`peer_pytorch.py`, PyTorch 2.15): from the same initial
/// weights and the same batches, through the `Trainer` path `har-bench` times, the first 20 steps agree. This is what
/// makes the speed comparison of `har-bench --vs-peer` honest: both tools do the same arithmetic.
///
/// Why the bounds hold on any x86-64 CPU (issue 12). oneDNN and OpenBLAS pick other kernels on AVX2, AVX-512 and AMX
/// machines; they sum in other orders, so float32 results differ in the last bits, and training steps amplify those
/// bits. PyTorch itself, same script, same bits in: its float32 losses on a Zen 3 and on a Zen 4 differ by up to 4.1e-4
/// (UCI-HAR) and 3.1e-3 (OPPORTUNITY) relative, while its float64 losses on the two differ by 3.5e-16 and 4.6e-14.
/// A constant float32 bound measured on one CPU is therefore no test of equivalence (2e-3 held on the Zen 3; harlab on
/// the Zen 4 was 3.5e-3 from the Zen 3's float32 fixture). So:
/// - **float64** shows the arithmetic is the same. Both tools run the 20 steps in float64 (harlab's model converted
///   with `convert(to: .float64)`, through the same `Trainer`). Other kernels move float64 results by rounding at
///   float64's ε = 1.1e-16, amplified by the same dynamics that take float32's ε = 6.0e-8 to at most 2.3e-3, that is
///   by under 4e4: to under 5e-12 (4.6e-14 seen between the two CPUs). `float64Tolerance` (1e-9) leaves 200× room for
///   any CPU, and is 10⁶ below what a wrong step does: a 10% learning rate or a lost update moves a loss by 0.8% or more.
/// - **float32** shows the benchmarked path adds nothing but float32 rounding: harlab's float32 losses stay as near
///   the float64 losses as PyTorch's own float32 losses do, within `spreadFactor`. The bound is that factor times the
///   largest relative distance of PyTorch's float32 losses from its float64 losses over the 20 steps (the fixture
///   records both runs), so it comes from the reference's own rounding, not from this machine. The largest over all
///   steps, not each step's own: one step's distance is a single draw of the rounding noise and may happen to be near
///   0; across the two CPUs above one run's distance was up to 5× the other's running largest, yet only 1.6× its
///   largest over all steps. float32 cannot resolve everything float64 can: on OPPORTUNITY one lost update moves the
///   next loss by 0.8%, under that bound, which is why the float64 comparison carries the proof.
/// Measured on a Zen 4: float64 5.0e-15 (UCI-HAR) and 1.2e-13 (OPPORTUNITY) from PyTorch; float32 at 0.27 of its
/// bound on both, and at 0.26/0.14 and 0.29/0.24 with the kernels held to AVX2 and to SSE (`ATEN_CPU_CAPABILITY`,
/// `DNNL_MAX_CPU_ISA`, `OPENBLAS_CORETYPE`), i.e. with other CPUs' kernels.
/// `testEquivalenceBoundsRejectATenPercentWrongLearningRate` and `testEquivalenceBoundsRejectALostOptimizerStep` show
/// the bounds fail a wrong step (measured: a 10% learning rate moves the second loss by 9.5%, 10× the float32 bound;
/// a lost 5th update moves the 6th loss by 0.8%, a lost last update the parameters' summed change by 11%).
final class TrainingEquivalenceTests: IsolatedTestCase {
    /// The largest relative difference from PyTorch's float64 run (losses, parameters' summed change, buffers' change).
    static let float64Tolerance = 1e-9
    /// How many times PyTorch's own largest float32-to-float64 distance harlab's float32 losses may be from its float64 losses.
    static let spreadFactor = 4.0

    /// Fixture: scripts/make_training_equivalence_fixture.py, `sa` on UCI-HAR (128×9, batch 128, the benchmark's) and
    /// OPPORTUNITY (30×113, batch 32 to keep the test short).
    func testSpatialAttentionTrainingMatchesPyTorchStepForStep() throws {
        for reference in try EquivalenceCase.load() {
            let run = try train(reference, dtype: .float64, steps: reference.steps)
            XCTAssertEqual(run.losses.count, reference.steps, reference.dataset)
            let relative = Self.relativeDistances(run.losses, reference.float64Losses)
            report(reference, "float64", relative, bound: Self.float64Tolerance)
            XCTAssertLessThanOrEqual(relative.max() ?? .infinity, Self.float64Tolerance, "\(reference.dataset): per step \(relative.map(format))")
            XCTAssertLessThanOrEqual(Self.parameterChangeDistance(run, reference), Self.float64Tolerance,
                                     "\(reference.dataset): summed L1 change of the parameters")
            for (name, expected) in reference.float64ChangeL1 where !run.parameterNames.contains(name) {
                XCTAssertEqual(run.changeL1[name] ?? .nan, expected, accuracy: expected * Self.float64Tolerance, "\(reference.dataset): \(name)")
            }
        }
    }

    /// The benchmarked float32 path departs from the float64 steps no further than PyTorch's own float32 run does.
    func testSpatialAttentionFloat32TrainingStaysWithinPyTorchsOwnRounding() throws {
        for reference in try EquivalenceCase.load() {
            let run = try train(reference, dtype: .float32, steps: reference.steps)
            XCTAssertEqual(run.losses.count, reference.steps, reference.dataset)
            let relative = Self.relativeDistances(run.losses, reference.float64Losses)
            let bound = Self.float32Bound(reference)
            report(reference, "float32", relative, bound: bound)
            XCTAssertLessThanOrEqual(relative.max() ?? .infinity, bound, "\(reference.dataset): per step \(relative.map(format))")
        }
    }

    /// Both bounds are tight enough to matter: a learning rate 10% off breaks them within three steps.
    func testEquivalenceBoundsRejectATenPercentWrongLearningRate() throws {
        let reference = try Self.cheapestCase()
        for (dtype, bound) in [(DType.float64, Self.float64Tolerance), (.float32, Self.float32Bound(reference))] {
            let run = try train(reference, dtype: dtype, steps: 3, learningRate: reference.learningRate * 1.1)
            let relative = Self.relativeDistances(run.losses, reference.float64Losses)
            print("\(reference.dataset) \(dtype), learning rate 10% high: losses move by \(relative.map(format)) (bound \(format(bound)))")
            XCTAssertLessThanOrEqual(relative[0], bound, "\(dtype): the first loss precedes any step")
            XCTAssertGreaterThan(relative.max() ?? 0, 3 * bound, "\(dtype): per step \(relative.map(format))")
        }
    }

    /// The float64 bound is tight enough to matter: a lost update (learning rate 0 for one step) breaks it on the next
    /// loss, and a lost last update, invisible in the losses, moves the parameters' summed change far past it.
    func testEquivalenceBoundsRejectALostOptimizerStep() throws {
        let reference = try Self.cheapestCase()
        let fifth = try train(reference, dtype: .float64, steps: 6, losingUpdateOf: 5)
        let relative = Self.relativeDistances(fifth.losses, reference.float64Losses)
        print("\(reference.dataset) float64, 5th update lost: losses move by \(relative.map(format))")
        XCTAssertLessThanOrEqual(relative[4], Self.float64Tolerance, "losses before the lost update agree")
        XCTAssertGreaterThan(relative[5], 1000 * Self.float64Tolerance, "per step \(relative.map(format))")

        // The fixture holds the change over all 20 steps only; three steps against three steps show the same at a fifth of the cost.
        let complete = try train(reference, dtype: .float64, steps: 3)
        let last = try train(reference, dtype: .float64, steps: 3, losingUpdateOf: 3)
        XCTAssertLessThanOrEqual(Self.relativeDistances(last.losses, complete.losses).max() ?? .infinity, Self.float64Tolerance,
                                 "the last update comes after the last loss")
        let total = { (run: Run) in run.changeL1.filter { run.parameterNames.contains($0.key) }.values.reduce(0, +) }
        let moved = Swift.abs(total(last) - total(complete)) / total(complete)
        print("\(reference.dataset) float64, 3rd and last update lost: the summed parameter change moves by \(format(moved))")
        XCTAssertGreaterThan(moved, 1000 * Self.float64Tolerance)
    }

    /// The float32 bound: `spreadFactor` × PyTorch's largest relative float32-to-float64 loss distance (see the class comment).
    static func float32Bound(_ reference: EquivalenceCase) -> Double {
        spreadFactor * (relativeDistances(reference.losses, reference.float64Losses).max() ?? 0)
    }

    /// The relative distance of a run's summed L1 parameter change from PyTorch's float64 run's.
    static func parameterChangeDistance(_ run: Run, _ reference: EquivalenceCase) -> Double {
        let parameters = Set(run.parameterNames)
        let total = { (changes: [String: Double]) in changes.filter { parameters.contains($0.key) }.values.reduce(0, +) }
        let exact = total(reference.float64ChangeL1)
        return Swift.abs(total(run.changeL1) - exact) / exact
    }

    /// |a − b| / |b| per step.
    static func relativeDistances(_ values: [Double], _ exact: [Double]) -> [Double] {
        zip(values, exact).map { Swift.abs($0 - $1) / Swift.abs($1) }
    }

    /// The fixture's case with the fewest input values per batch: the one the rejection tests train.
    static func cheapestCase() throws -> EquivalenceCase {
        try XCTUnwrap(try EquivalenceCase.load().min { $0.batch * $0.time * $0.channels < $1.batch * $1.time * $1.channels })
    }

    /// Trains a fresh `reference.model` in `dtype` from the formula's weights on the formula's first `steps` batches,
    /// in order, through `Trainer.train` with the peer recipe `har-bench` times.
    /// - Parameters:
    ///   - learningRate: the learning rate, the reference's unless given.
    ///   - losingUpdateOf: the step (1-based, from 2 on) whose parameter update is lost (its learning rate is 0); none when nil.
    func train(_ reference: EquivalenceCase, dtype: DType, steps: Int, learningRate: Double? = nil, losingUpdateOf lost: Int? = nil) throws -> Run {
        let model = try ModelFactory.make(try ModelSpec(reference.model), input: reference.input)
        XCTAssertEqual(model.parameterCount, reference.parameters, reference.dataset)
        try model.loadState(try EquivalenceFormula.initialState(of: model))
        try model.convert(to: dtype)
        let start = try model.stateDict().entries.map { ($0.name, try $0.tensor.scalars(as: Double.self)) }
        let dataset = try EquivalenceFormula.dataset(reference.input, windows: steps * reference.batch)
        var config = TrainingBenchmark.trainingConfig(.init(threads: Runtime.threads, samples: dataset.count, epochs: 1,
                                                            batch: reference.batch, bf16: false, repetitions: 1))
        config.learningRate = learningRate ?? reference.learningRate
        let rate = config.learningRate
        XCTAssertEqual(config.weightDecay, reference.weightDecay)
        let trainer = try Trainer(model: model, dataset: dataset, config: config)
        let batcher = try Batcher(dataset: dataset, split: .train, batchSize: reference.batch, shuffle: false, seed: 0, augmentation: nil,
                                  dropsLoneWindow: true)
        var runningMeans: [Double] = []
        _ = try trainer.train(epochs: 1, batcher: batcher, events: { event in
            guard case .batchFinished(_, let step, _, let mean) = event else { return }
            runningMeans.append(mean)
            // Events come after each step's update: set the rate the next step uses.
            if let lost { trainer.optimizer.learningRate = step + 1 == lost ? 0 : rate }
        }, shouldStop: { false })
        // The events carry the epoch's running mean over equal batches; step k's own loss is k·mean_k − (k−1)·mean_(k−1).
        let losses = runningMeans.indices.map { k in runningMeans[k] * Double(k + 1) - (k == 0 ? 0 : runningMeans[k - 1] * Double(k)) }
        let end = model.stateDict()
        var change: [String: Double] = [:]
        for (name, before) in start {
            let after = try XCTUnwrap(end[name]).scalars(as: Double.self)
            change[name] = zip(after, before).reduce(0) { $0 + Swift.abs($1.0 - $1.1) }
        }
        return Run(losses: losses, changeL1: change, parameterNames: model.namedParameters().map(\.name))
    }

    /// What `train` returns: each step's loss, each state entry's L1 change, and which entries are parameters.
    struct Run {
        let losses: [Double]
        let changeL1: [String: Double]
        let parameterNames: [String]
    }

    private func report(_ reference: EquivalenceCase, _ precision: String, _ relative: [Double], bound: Double) {
        let worst = relative.enumerated().max { $0.element < $1.element }
        print("\(reference.model) \(reference.dataset) batch \(reference.batch) \(precision): losses \(format(reference.float64Losses.first)) → "
              + "\(format(reference.float64Losses.last)); largest relative distance from PyTorch's float64 run \(format(worst?.element)) "
              + "at step \((worst?.offset ?? -1) + 1), \(String(format: "%.2f", (worst?.element ?? 0) / bound)) of the bound \(format(bound)); "
              + "per step \(relative.map(format).joined(separator: " "))")
    }

    private func format(_ value: Double?) -> String { value.map { String(format: "%.2e", $0) } ?? "-" }
}

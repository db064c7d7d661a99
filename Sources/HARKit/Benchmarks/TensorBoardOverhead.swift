import Foundation
import Torch

/// What a TensorBoard log costs training: one model trains on random windows of a dataset's shape, one epoch per
/// `RunRecorder.train` call, alternating an epoch whose recorder carries the run's TensorBoard log with one whose
/// recorder carries none (the order flipping every pair, so both see the same machine load). Kept per epoch: wall and
/// process CPU seconds; per logged epoch: the seconds spent writing its event.
public struct TensorBoardOverhead: Sendable {
    /// Wall-clock and CPU seconds (all threads of the process) of one epoch.
    public struct EpochCost: Sendable {
        public var wall: Double
        public var cpu: Double
    }

    /// The model spec and shape measured.
    public var model: String
    public var shape: String
    /// The epochs trained without and with the log (the warm-up epoch left out).
    public var without: [EpochCost]
    public var with: [EpochCost]
    /// The seconds each logged epoch spent in the log's `epochFinished` (building and writing its event).
    public var writeSeconds: [Double]

    /// Trains `pairs` pairs of epochs of `model` on `settings.samples` random windows of `shape`, logging into a
    /// temporary folder that is removed afterwards.
    /// - Throws: spec, dataset, libtorch or log errors.
    public static func measure(model specText: String, shape: BenchmarkShape, settings: TrainingBenchmark.Settings, pairs: Int) throws -> TensorBoardOverhead {
        try Runtime.setThreads(settings.threads)
        let dataset = try TrainingBenchmark.randomDataset(shape: shape, samples: settings.samples)
        Runtime.manualSeed(0)
        let spec = try ModelSpec(specText)
        let config = TrainingBenchmark.trainingConfig(settings)
        let trainer = try Trainer(model: try ModelFactory.make(spec, input: shape.input), dataset: dataset, config: config)
        _ = try trainer.train(epochs: 1)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("harlab-tensorboard-bench-\(getpid())-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var problem: TensorBoardError?
        let start = RunStart(dataset: dataset, model: spec, config: config)
        let log = try TensorBoardRunLog(directory: folder, runID: nil, start: start, resumed: false) { problem = $0 }
        let timed = TimedObserver(log)
        let plain = RunRecording.none.begin(start), logged = RunRecording.none.begin(start)
        logged.observe(timed)
        var result = TensorBoardOverhead(model: specText, shape: shape.name, without: [], with: [], writeSeconds: [])
        for pair in 0..<pairs {
            for withLog in pair % 2 == 0 ? [false, true] : [true, false] {
                let (wall, cpu) = (DispatchTime.now().uptimeNanoseconds, processCPUSeconds())
                _ = try (withLog ? logged : plain).train(trainer, epochs: 1)
                let cost = EpochCost(wall: Double(DispatchTime.now().uptimeNanoseconds - wall) / 1e9, cpu: processCPUSeconds() - cpu)
                if withLog { result.with.append(cost) } else { result.without.append(cost) }
            }
        }
        if let problem { throw problem }
        result.writeSeconds = timed.seconds
        return result
    }

    /// The process's CPU seconds so far, all threads.
    private static func processCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// One JSON line: medians of the epochs' wall and CPU seconds each way, of an event write, and the write's share
    /// of an epoch without the log.
    public var jsonLine: String {
        let wallWithout = median(without.map(\.wall)), write = median(writeSeconds)
        func round(_ value: Double, _ digits: Double) -> Double { (value * digits).rounded() / digits }
        return "{\"bench\":\"tensorboard log\",\"model\":\"\(model)\",\"dataset\":\"\(shape)\",\"epochs_each\":\(with.count),"
            + "\"epoch_wall_s_without\":\(round(wallWithout, 1e4)),\"epoch_wall_s_with\":\(round(median(with.map(\.wall)), 1e4)),"
            + "\"epoch_cpu_s_without\":\(round(median(without.map(\.cpu)), 1e4)),\"epoch_cpu_s_with\":\(round(median(with.map(\.cpu)), 1e4)),"
            + "\"event_write_us\":\(round(write * 1e6, 10)),\"event_write_max_us\":\(round((writeSeconds.max() ?? .nan) * 1e6, 10)),"
            + "\"write_share_of_epoch_pct\":\(round(100 * write / wallWithout, 1e5))}"
    }
}

/// Passes every epoch and end on to `inner`, timing each epoch's handling.
private final class TimedObserver: RunObserver {
    let inner: RunObserver
    private(set) var seconds: [Double] = []

    init(_ inner: RunObserver) { self.inner = inner }

    func epochFinished(_ record: EpochRecord) {
        let start = DispatchTime.now().uptimeNanoseconds
        inner.epochFinished(record)
        seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    func runEnded(_ end: RunEnd) { inner.runEnded(end) }
}

import Foundation
import XCTest
@testable import HARKit

/// A fresh temporary folder, removed when the test ends.
func makeTemporaryFolder(_ test: XCTestCase) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("harlab-runs-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
    return folder
}

/// An epoch record with made-up but distinct figures.
func sampleEpoch(_ epoch: Int, loss: Double = 1.0, seconds: Double = 2.0) -> EpochRecord {
    EpochRecord(epoch: epoch, trainLoss: loss / Double(epoch), penaltyLoss: 0.01, trainAccuracy: 0.5 + 0.01 * Double(epoch),
                validationLoss: 1.1 / Double(epoch), validationAccuracy: 0.4 + 0.02 * Double(epoch),
                validationMacroF1: 0.3 + 0.02 * Double(epoch), learningRate: 5e-4, seconds: seconds, windowsPerSecond: 300)
}

/// Metrics whose accuracy is `correct` out of 10 on three classes.
func sampleMetrics(correct: Int) -> ClassificationMetrics {
    let labels = [0, 0, 0, 1, 1, 1, 2, 2, 2, 2]
    let predictions = labels.enumerated().map { $0.offset < correct ? $0.element : ($0.element + 1) % 3 }
    return ClassificationMetrics(labels: labels, predictions: predictions, classNames: ["walk", "sit", "lie"])
}

/// The start of a run of `model` on `dataset`.
func sampleStart(dataset: String = "uci-har", model: String = "sa", seed: UInt64 = 1, label: String? = nil) -> RunStart {
    var config = TrainingConfig()
    config.seed = seed
    return RunStart(dataset: dataset, datasetProtocol: #"{"window":128}"#, model: model, config: config, label: label,
                    startedAt: Date(timeIntervalSince1970: 1_800_000_000), versions: ["harlab": "test"], host: "testhost")
}

/// A preprocessing protocol with normalisation statistics for five channels.
let samplePreprocessing = DatasetProtocol(window: 20, overlap: 0.5, stride: 10, split: "subjects:7,8", normalized: true,
                                          mean: [0.5, -1, 2, 0, 9.81], std: [1, 2, 0.5, 1, 3], windowing: "contiguous",
                                          validationFraction: 0.1, seed: 3, sourcePath: "", dropped: [])

/// An 8-step attention map over three channels.
func sampleAttention() -> ReportAttention {
    ReportAttention(title: "run 1 · body.1 · class walk", map: (0..<8).map { t in (0..<3).map { Double(t + $0) } }, channelNames: ["acc_x", "acc_y", "acc_z"])
}

/// The windows of `dataset` whose index is a multiple of four, with their labels, subjects and splits.
func everyFourthWindow(of dataset: HARDataset) throws -> HARDataset {
    let kept = Array(stride(from: 0, to: dataset.count, by: 4))
    let size = dataset.windowSize
    return try HARDataset(name: dataset.name, windows: kept.flatMap { dataset.windows[($0 * size)..<(($0 + 1) * size)] },
                          labels: kept.map { dataset.labels[$0] }, subjects: kept.map { dataset.subjects[$0] },
                          splits: kept.map { dataset.splits[$0] }, classNames: dataset.classNames, channelNames: dataset.channelNames,
                          sampleRate: dataset.sampleRate, windowLength: dataset.windowLength, protocolDescription: dataset.protocolDescription)
}

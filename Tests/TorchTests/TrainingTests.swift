import XCTest
@testable import Torch
import TestSupport

/// A small model trained on a fixed seed learns, and the same seed gives the same run.
final class TrainingTests: IsolatedTestCase {
    /// Trains a 1-D convolution + LSTM + linear classifier on two classes of noisy sequences (rising or falling)
    /// for 25 full-batch AdamW steps with dropout, and returns the losses.
    private func train(seed: UInt64) throws -> [Double] {
        Runtime.manualSeed(seed)
        let ramp = try Tensor.arange(0, 8).reshaped(to: [1, 1, 8]) / 8
        let rising = try ramp.expanded(to: [16, 2, 8]) + Tensor.randn([16, 2, 8]) * 0.3
        let falling = try (1.0 - ramp).expanded(to: [16, 2, 8]) + Tensor.randn([16, 2, 8]) * 0.3
        let x = try Tensor.concatenate([rising, falling], alongAxis: 0)
        let labels = try Tensor.concatenate([Tensor.zeros([16], dtype: .int64), Tensor.ones([16], dtype: .int64)], alongAxis: 0)
        let conv = try Conv1d(2, 4, kernel: 3, padding: 1)
        let lstm = try LSTM(inputSize: 4, hiddenSize: 6)
        let dropout = try Dropout(0.2)
        let head = try Linear(6, 2)
        let optimizer = AdamW(conv.parameters + lstm.parameters + head.parameters, learningRate: 0.03)
        var losses: [Double] = []
        for _ in 0..<25 {
            try optimizer.zeroGrad()
            let features = try conv(x).relu().transposed(1, 2)
            let last = try lstm(features).selecting(axis: 1, index: 7)
            let loss = try Functional.crossEntropy(logits: head(dropout(last)), labels: labels)
            losses.append(try loss.item())
            try loss.backward()
            try optimizer.step()
        }
        return losses
    }

    func testTrainingLowersTheLoss() throws {
        let losses = try train(seed: 42)
        XCTAssertLessThan(losses.last!, losses.first! * 0.5, "losses: \(losses)")
    }

    func testSameSeedGivesTheSameLossesAndAnotherSeedDoesNot() throws {
        let first = try train(seed: 7), second = try train(seed: 7)
        XCTAssertEqual(first, second)
        XCTAssertNotEqual(first, try train(seed: 8))
    }
}

import XCTest
@testable import Torch
import TestSupport

/// Optimizer state survives a save and load, so a resumed run continues exactly as an uninterrupted one.
final class OptimizerStateTests: IsolatedTestCase {
    /// Three steps on sum((p - 1)² · w) for `make`'s optimizer; `resume` is called between the first and second.
    private func run(_ make: ([Tensor]) throws -> any Optimizer, resume: ((any Optimizer, [Tensor]) throws -> (any Optimizer, [Tensor]))? = nil)
        throws -> [Float] {
        var parameters = [try Tensor([0.5, -1, 2] as [Float])]
        try parameters[0].setRequiresGrad(true)
        var optimizer = try make(parameters)
        let weights = try Tensor([1, 2, 3] as [Float])
        for step in 0..<3 {
            if step == 1, let resume { (optimizer, parameters) = try resume(optimizer, parameters) }
            try optimizer.zeroGrad()
            try ((parameters[0] - 1).squared() * weights).sum().backward()
            try optimizer.step()
        }
        return try parameters[0].scalars()
    }

    /// Saves the optimizer's and parameters' state to a file, then builds fresh ones from it.
    private func roundTrip(_ make: @escaping ([Tensor]) throws -> any Optimizer) -> (any Optimizer, [Tensor]) throws -> (any Optimizer, [Tensor]) {
        { optimizer, parameters in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("harlab-optim-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            try optimizer.stateDict().write(to: folder.appendingPathComponent("optim.pt"))
            try StateDict([("p", parameters[0])]).write(to: folder.appendingPathComponent("params.pt"))
            let restored = try StateDict(contentsOf: folder.appendingPathComponent("params.pt"))["p"]!.cloned()
            try restored.setRequiresGrad(true)
            let fresh = try make([restored])
            fresh.learningRate = 123  // overwritten by the saved state
            try fresh.loadState(try StateDict(contentsOf: folder.appendingPathComponent("optim.pt")))
            return (fresh, [restored])
        }
    }

    func testResumedOptimizersContinueExactly() throws {
        let makers: [(String, ([Tensor]) throws -> any Optimizer)] = [
            ("Adam", { Adam($0, learningRate: 0.1, weightDecay: 0.01) }),
            ("AdamW", { AdamW($0, learningRate: 0.1) }),
            ("SGD", { try SGD($0, learningRate: 0.05, momentum: 0.9, nesterov: true) }),
        ]
        for (name, make) in makers {
            let straight = try run(make)
            let resumed = try run(make, resume: roundTrip(make))
            XCTAssertEqual(straight, resumed, "\(name) resumed from saved state")
            XCTAssertNotEqual(straight, try run(make, resume: { _, p in (try make(p), p) }), "\(name): dropping the state changes the run")
        }
    }

    func testLoadingStateOfTheWrongShapeThrowsAndChangesNothing() throws {
        let p = try Tensor.zeros([3])
        let optimizer = AdamW([p], learningRate: 0.1)
        let bad = StateDict([("state.0.step", try Tensor(scalar: 1)), ("state.0.exp_avg", try Tensor.zeros([4])),
                             ("state.0.exp_avg_sq", try Tensor.zeros([4])), ("param_groups.0.lr", try Tensor(scalar: 7))])
        XCTAssertThrowsError(try optimizer.loadState(bad)) { error in
            XCTAssertTrue("\(error)".contains("shape [4]"), "\(error)")
        }
        XCTAssertEqual(optimizer.learningRate, 0.1)
        XCTAssertThrowsError(try SGD([p], learningRate: 0.1, nesterov: true), "Nesterov needs momentum")
    }
}

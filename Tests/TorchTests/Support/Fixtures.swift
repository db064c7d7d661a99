import Foundation
import XCTest
@testable import Torch

/// The committed PyTorch reference files (see Fixtures/make_fixtures.py).
enum Fixtures {
    /// The URL of a file in the Fixtures folder.
    static func url(_ name: String) -> URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(name)
    }

    /// A fixture dict read through `StateDict(contentsOf:)` (Python wrote it with `torch.save`).
    static func load(_ name: String) throws -> StateDict { try StateDict(contentsOf: url(name)) }
}

extension StateDict {
    /// The tensor stored under `name`, or a test failure naming it.
    func required(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> Tensor {
        guard let tensor = self[name] else {
            XCTFail("fixture has no entry '\(name)'", file: file, line: line)
            throw TorchError("fixture has no entry '\(name)'")
        }
        return tensor
    }
}

/// Asserts that `actual` has `expected`'s shape and values within `tolerance` (absolute plus relative).
func assertClose(_ actual: Tensor, _ expected: Tensor, tolerance: Double = 1e-5, _ what: String = "",
                 file: StaticString = #filePath, line: UInt = #line) throws {
    XCTAssertEqual(actual.shape, expected.shape, "\(what): shape", file: file, line: line)
    guard actual.shape == expected.shape else { return }
    let a = try actual.scalars(as: Double.self), e = try expected.scalars(as: Double.self)
    var worst = 0.0, worstIndex = 0
    for i in a.indices {
        let excess = Swift.abs(a[i] - e[i]) - tolerance * (1 + Swift.abs(e[i]))
        if excess > worst || a[i].isNaN { (worst, worstIndex) = (a[i].isNaN ? .infinity : excess, i) }
    }
    XCTAssertEqual(worst, 0, "\(what): element \(worstIndex) is \(a.isEmpty ? 0 : a[worstIndex]), expected \(e.isEmpty ? 0 : e[worstIndex])",
                   file: file, line: line)
}

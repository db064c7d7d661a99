import XCTest
@testable import Torch

/// Compares autograd's gradients of a scalar function with central finite differences, in float64.
enum GradientCheck {
    /// A float64 tensor of uniform values in [low, high) that records gradients.
    static func input(_ shape: [Int], low: Double = -1, high: Double = 1) throws -> Tensor {
        let t = try Tensor.rand(shape, dtype: .float64) * (high - low) + low
        let leaf = try t.detached()
        try leaf.setRequiresGrad(true)
        return leaf
    }

    /// Checks d f / d input for every element of every tensor in `inputs` (float64 leaves with `requiresGrad`).
    /// `f` must return a scalar and depend on the inputs' current values only.
    static func check(_ what: String, _ inputs: [Tensor], step: Double = 1e-6, tolerance: Double = 1e-5,
                      file: StaticString = #filePath, line: UInt = #line, _ f: () throws -> Tensor) throws {
        for x in inputs { try x.clearGrad() }
        try f().backward()
        for (n, x) in inputs.enumerated() {
            guard let grad = x.grad else {
                XCTFail("\(what): input \(n) got no gradient", file: file, line: line)
                continue
            }
            let analytic = try grad.scalars(as: Double.self)
            for i in 0..<x.count {
                let (plus, minus): (Double, Double) = try withNoGrad {
                    let element = try x.reshaped(to: [-1]).narrowed(axis: 0, start: i, length: 1)
                    let delta = try Tensor(scalar: step, dtype: .float64)
                    try element.add(delta)
                    let plus = try f().item()
                    try element.add(delta, alpha: -2)
                    let minus = try f().item()
                    try element.add(delta)
                    return (plus, minus)
                }
                let numeric = (plus - minus) / (2 * step)
                if Swift.abs(numeric - analytic[i]) > tolerance * (1 + Swift.abs(numeric)) {
                    XCTFail("\(what): d/d input\(n)[\(i)] is \(analytic[i]) by autograd, \(numeric) by finite differences",
                            file: file, line: line)
                    return
                }
            }
        }
    }

    /// A fixed random float64 weighting to turn a tensor output into a scalar without symmetries.
    static func weighting(like t: Tensor) throws -> Tensor { try Tensor.randn(t.shape, dtype: .float64) }
}

import Foundation

/// Runs independent jobs on all cores and collects their results in order; the first error wins.
enum ParallelWork {
    /// `body(i)` for every `i` in `0..<count`, concurrently; results in index order.
    /// - Throws: the error of the lowest-numbered failing job.
    static func map<Result>(_ count: Int, _ body: (Int) throws -> Result) throws -> [Result] {
        var results = [Swift.Result<Result, Error>?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { slots in
            let base = slots.baseAddress!
            DispatchQueue.concurrentPerform(iterations: count) { i in
                base[i] = Swift.Result { try body(i) }
            }
        }
        return try results.map { try $0!.get() }
    }
}

import XCTest

/// Asserts that each named list of `actual` has its `expected` list's length and lies within `tolerance` of it
/// (absolute, largest difference), and that each expected list reaches `nonTrivial` somewhere, so a gradient that
/// vanished on both sides does not pass for an agreement.
func assertValueListsAgree(_ actual: [[Double]], _ expected: [[Double]], names: [String], tolerance: Double,
                           nonTrivial: Double, _ context: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "\(context) number of lists", file: file, line: line)
    for (name, (ours, reference)) in zip(names, zip(actual, expected)) {
        let label = context.isEmpty ? name : "\(name), \(context)"
        XCTAssertEqual(ours.count, reference.count, label, file: file, line: line)
        let worst = zip(ours, reference).map { Swift.abs($0 - $1) }.max() ?? 0
        XCTAssertLessThan(worst, tolerance, label, file: file, line: line)
        XCTAssertGreaterThan(reference.map(Swift.abs).max() ?? 0, nonTrivial, "\(label) is not trivially zero", file: file, line: line)
    }
}

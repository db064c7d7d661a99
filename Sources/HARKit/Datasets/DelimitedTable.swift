import Foundation

/// Numeric tables in text: one row per line, a fixed number of columns separated by a comma or by blanks.
enum DelimitedTable {
    /// How values on a line are separated.
    enum Separator: Sendable {
        /// One comma between values (DSADS).
        case comma
        /// One or more spaces or tabs, leading blanks allowed (UCI-HAR, PAMAP2, OPPORTUNITY).
        case blanks
    }

    /// Appends every row of `url` (exactly `columns` numbers each; blank lines skipped) to `values`, only the 0-based columns in `keep`
    /// (ascending) when given; returns the row count. `NaN` is a missing sample only where `allowsMissing` (formats that mark gaps so).
    /// - Throws: `DatasetError` naming the file and line of a short or long row, a non-numeric token or an out-of-range value.
    static func read<Value: BinaryFloatingPoint>(_ url: URL, separator: Separator, columns: Int, keep: [Int]? = nil, allowsMissing: Bool = false,
                                                 into values: inout [Value]) throws -> Int {
        try TextFile.scan(url) { scanner in
            try read(&scanner, separator: separator, columns: columns, keep: keep, allowsMissing: allowsMissing, into: &values)
        }
    }

    /// Reads rows from a scanner; see `read(_:separator:columns:into:)`.
    static func read<Value: BinaryFloatingPoint>(_ scanner: inout ByteScanner, separator: Separator, columns: Int, keep: [Int]? = nil,
                                                 allowsMissing: Bool = false, into values: inout [Value]) throws -> Int {
        var rows = 0
        // slot[column]: where a column's value goes in the kept row, or -1 when it is read and discarded.
        var slots = [Int](repeating: -1, count: columns)
        for (k, column) in (keep ?? Array(0..<columns)).enumerated() { slots[column] = k }
        let slot = slots
        var line = [Value](repeating: 0, count: keep?.count ?? columns)
        while !scanner.isAtEnd {
            if separator == .blanks { scanner.skipBlanks() }
            if scanner.skipLineEnd() { continue }
            try line.withUnsafeMutableBufferPointer { row in
                for column in 0..<columns {
                    if column > 0 {
                        switch separator {
                        case .comma:
                            guard scanner.skip(0x2C) else { throw rowError(&scanner, found: column, columns: columns) }
                        case .blanks:
                            scanner.skipBlanks()
                            if scanner.atLineEnd { throw rowError(&scanner, found: column, columns: columns) }
                        }
                    }
                    guard let value = scanner.number() else {
                        if scanner.atLineEnd { throw rowError(&scanner, found: column, columns: columns) }
                        throw DatasetError.at(scanner.file, line: scanner.line, "'\(scanner.token())' is not a number (value \(column + 1) of \(columns))")
                    }
                    // NaN marks a missing sample (filled later) where the format has gaps; an infinite or Float-overflowing value is damage.
                    guard value.isNaN ? allowsMissing : abs(value) <= Double(Float.greatestFiniteMagnitude) else {
                        throw DatasetError.at(scanner.file, line: scanner.line, value.isNaN
                            ? "NaN (a missing value) is not allowed in this format (value \(column + 1) of \(columns))"
                            : "value \(value) is out of range (value \(column + 1) of \(columns))")
                    }
                    if slot[column] >= 0 { row[slot[column]] = Value(value) }
                }
            }
            values.append(contentsOf: line)
            scanner.skipBlanks()
            if !scanner.atLineEnd {
                throw DatasetError.at(scanner.file, line: scanner.line, "expected \(columns) values, found more ('\(scanner.token())' after value \(columns))")
            }
            _ = scanner.skipLineEnd()
            rows += 1
        }
        return rows
    }

    private static func rowError(_ scanner: inout ByteScanner, found: Int, columns: Int) -> DatasetError {
        if scanner.atLineEnd { return DatasetError.at(scanner.file, line: scanner.line, "expected \(columns) values, found \(found) (truncated line?)") }
        return DatasetError.at(scanner.file, line: scanner.line, "expected a separator after value \(found), found '\(scanner.token())'")
    }
}

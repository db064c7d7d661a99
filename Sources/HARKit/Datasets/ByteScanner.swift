import Foundation

/// Reads numbers from a text file's bytes without building strings: the byte-level parser behind every text loader.
struct ByteScanner {
    /// The file the bytes came from, for error messages.
    let file: URL
    private let bytes: UnsafeBufferPointer<UInt8>
    /// Offset of the next unread byte.
    private(set) var position = 0
    /// 1-based line number of the next unread byte.
    private(set) var line = 1

    /// A scanner over `bytes`, which must outlive it.
    init(_ bytes: UnsafeBufferPointer<UInt8>, file: URL) {
        self.bytes = bytes
        self.file = file
    }

    /// Whether every byte has been read.
    var isAtEnd: Bool { position >= bytes.count }

    /// The next byte, or nil at the end.
    var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    /// Skips spaces and tabs (not newlines).
    mutating func skipBlanks() {
        while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x09 { position += 1 }
    }

    /// Consumes `byte` if it is next.
    mutating func skip(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    /// Consumes a line ending (`\n`, `\r\n` or `\r`) if one is next, counting the line.
    mutating func skipLineEnd() -> Bool {
        guard position < bytes.count else { return false }
        if bytes[position] == 0x0D {
            position += 1
            if position < bytes.count, bytes[position] == 0x0A { position += 1 }
        } else if bytes[position] == 0x0A {
            position += 1
        } else {
            return false
        }
        line += 1
        return true
    }

    /// Skips the rest of the current line, including its ending.
    mutating func skipLine() {
        while position < bytes.count, bytes[position] != 0x0A, bytes[position] != 0x0D { position += 1 }
        _ = skipLineEnd()
    }

    /// Whether the next byte ends a line (or the file).
    var atLineEnd: Bool { position >= bytes.count || bytes[position] == 0x0A || bytes[position] == 0x0D }

    /// The token at the read position (up to a separator or line end), for error messages.
    func token(separators: Set<UInt8> = [0x2C, 0x20, 0x09, 0x3B]) -> String {
        var end = position
        while end < bytes.count, !separators.contains(bytes[end]), bytes[end] != 0x0A, bytes[end] != 0x0D, end - position < 40 { end += 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<end]), as: UTF8.self)
    }

    /// Parses a decimal number (`-1.25e-3`, `NaN`) at the read position, correctly rounded to Double; nil (nothing consumed) when none is there.
    mutating func number() -> Double? {
        let start = position
        var i = position
        let n = bytes.count
        var negative = false
        if i < n, bytes[i] == 0x2D || bytes[i] == 0x2B { negative = bytes[i] == 0x2D; i += 1 }
        if i + 3 <= n, (bytes[i] | 0x20) == 0x6E, (bytes[i + 1] | 0x20) == 0x61, (bytes[i + 2] | 0x20) == 0x6E {
            position = i + 3
            return .nan
        }
        var mantissa: UInt64 = 0
        var digits = 0, significant = 0, scale = 0
        while i < n, bytes[i] &- 0x30 < 10 {
            if significant < 19 {
                mantissa = mantissa * 10 + UInt64(bytes[i] - 0x30)
                if mantissa > 0 { significant += 1 }
            } else {
                scale += 1
            }
            digits += 1
            i += 1
        }
        if i < n, bytes[i] == 0x2E {
            i += 1
            while i < n, bytes[i] &- 0x30 < 10 {
                if significant < 19 {
                    mantissa = mantissa * 10 + UInt64(bytes[i] - 0x30)
                    if mantissa > 0 { significant += 1 }
                    scale -= 1
                }
                digits += 1
                i += 1
            }
        }
        guard digits > 0 else { return nil }
        if i < n, bytes[i] | 0x20 == 0x65 {
            var j = i + 1
            var negativeExponent = false
            if j < n, bytes[j] == 0x2D || bytes[j] == 0x2B { negativeExponent = bytes[j] == 0x2D; j += 1 }
            var exponent = 0, exponentDigits = 0
            while j < n, bytes[j] &- 0x30 < 10 {
                exponent = min(exponent * 10 + Int(bytes[j] - 0x30), 100_000)
                exponentDigits += 1
                j += 1
            }
            if exponentDigits > 0 {
                scale += negativeExponent ? -exponent : exponent
                i = j
            }
        }
        position = i
        if mantissa < (1 << 53), scale >= -22, scale <= 22 {
            let value = scale < 0 ? Double(mantissa) / ByteScanner.powers[-scale] : Double(mantissa) * ByteScanner.powers[scale]
            return negative ? -value : value
        }
        return slowParse(from: start, to: i)
    }

    /// Falls back to `strtod` for numbers outside the exact fast path.
    private func slowParse(from start: Int, to end: Int) -> Double {
        var text = [CChar](repeating: 0, count: end - start + 1)
        for k in start..<end { text[k - start] = CChar(bitPattern: bytes[k]) }
        return strtod(text, nil)
    }

    private static let powers: [Double] = (0...22).map { pow(10, Double($0)) }
}

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

    /// Reads bytes up to (not including) any of `stops` or a line end, as text.
    mutating func word(until stops: Set<UInt8>) -> String {
        let start = position
        while position < bytes.count, !stops.contains(bytes[position]), bytes[position] != 0x0A, bytes[position] != 0x0D { position += 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    /// Skips to just after the next `terminator` on this line, or to the line end (which is left unread).
    mutating func skipPast(_ terminator: UInt8) {
        while position < bytes.count, bytes[position] != 0x0A, bytes[position] != 0x0D {
            position += 1
            if bytes[position - 1] == terminator { return }
        }
    }

    /// The token at the read position (up to a separator or line end), for error messages.
    func token(separators: Set<UInt8> = [0x2C, 0x20, 0x09, 0x3B]) -> String {
        var end = position
        while end < bytes.count, !separators.contains(bytes[end]), bytes[end] != 0x0A, bytes[end] != 0x0D, end - position < 40 { end += 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<end]), as: UTF8.self)
    }

    /// Parses a decimal number (`-1.25e-3`, `NaN`) at the read position, correctly rounded to Double; nil (nothing consumed) when none is there.
    @inline(__always)
    mutating func number() -> Double? {
        let p = bytes.baseAddress!
        let n = bytes.count
        let start = position
        var i = position
        var negative = false
        if i < n, p[i] == 0x2D || p[i] == 0x2B { negative = p[i] == 0x2D; i += 1 }
        var mantissa: UInt64 = 0
        var digits = 0, scale = 0
        // Integer part; digits beyond 19 significant ones only scale (and force the exact slow path below).
        while i < n {
            let d = p[i] &- 0x30
            if d >= 10 { break }
            if mantissa < 1_000_000_000_000_000_000 { mantissa = mantissa &* 10 &+ UInt64(d) } else { scale += 1 }
            digits += 1
            i += 1
        }
        if i < n, p[i] == 0x2E {
            i += 1
            while i < n {
                let d = p[i] &- 0x30
                if d >= 10 { break }
                if mantissa < 1_000_000_000_000_000_000 { mantissa = mantissa &* 10 &+ UInt64(d); scale -= 1 }
                digits += 1
                i += 1
            }
        }
        guard digits > 0 else {
            if i + 3 <= n, (p[i] | 0x20) == 0x6E, (p[i + 1] | 0x20) == 0x61, (p[i + 2] | 0x20) == 0x6E {
                position = i + 3
                return .nan
            }
            return nil
        }
        if i < n, p[i] | 0x20 == 0x65 {
            var j = i + 1
            var negativeExponent = false
            if j < n, p[j] == 0x2D || p[j] == 0x2B { negativeExponent = p[j] == 0x2D; j += 1 }
            var exponent = 0, exponentDigits = 0
            while j < n, p[j] &- 0x30 < 10 {
                exponent = min(exponent * 10 + Int(p[j] &- 0x30), 100_000)
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
            let value = scale < 0 ? Double(mantissa) / exactPowerOfTen(-scale) : Double(mantissa) * exactPowerOfTen(scale)
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

}

/// 10^k for k in 0…22, all exact in Double.
@inline(__always)
private func exactPowerOfTen(_ k: Int) -> Double {
    switch k {
    case 0: return 1
    case 1: return 1e1
    case 2: return 1e2
    case 3: return 1e3
    case 4: return 1e4
    case 5: return 1e5
    case 6: return 1e6
    case 7: return 1e7
    case 8: return 1e8
    case 9: return 1e9
    case 10: return 1e10
    case 11: return 1e11
    case 12: return 1e12
    case 13: return 1e13
    case 14: return 1e14
    case 15: return 1e15
    case 16: return 1e16
    case 17: return 1e17
    case 18: return 1e18
    case 19: return 1e19
    case 20: return 1e20
    case 21: return 1e21
    default: return 1e22
    }
}

import Foundation

/// NumPy `.npy` files (format 1.0/2.0, little-endian, C order): writing float32 and int64 arrays, reading labels whole and
/// windows straight into a caller's buffer (`Header.readFloats`).
struct NpyArray {
    /// The dimensions.
    var shape: [Int]
    /// Elements as Int (integer arrays; empty for floating ones).
    var integers: [Int] = []
    /// Whether the file held integers.
    var isInteger: Bool

    /// The bytes of a format-1.0 `.npy` file holding `values` (`<f4`) in `shape`.
    static func encode(_ values: [Float], shape: [Int]) -> Data {
        var data = header(descr: "<f4", shape: shape)
        values.withUnsafeBytes { data.append(contentsOf: $0) }
        return data
    }

    /// The bytes of a format-1.0 `.npy` file holding `values` (`<i8`) as a vector.
    static func encode(_ values: [Int]) -> Data {
        var data = header(descr: "<i8", shape: [values.count])
        values.map { Int64($0).littleEndian }.withUnsafeBytes { data.append(contentsOf: $0) }
        return data
    }

    /// Reads an `.npy` file's shape and, for integer arrays, its elements.
    /// - Throws: `DatasetError` naming the file for a bad magic string, an unsupported dtype or order, or a short payload.
    static func read(_ url: URL) throws -> NpyArray {
        let header = try Header(url)
        var array = NpyArray(shape: header.shape, isInteger: header.descr.hasPrefix("<i"))
        if array.isInteger {
            let bytes = try header.payload(of: url)
            array.integers = bytes.withUnsafeBytes { raw in
                header.descr == "<i8" ? (0..<header.count).map { Int(raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self)) }
                    : (0..<header.count).map { Int(raw.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self)) }
            }
        }
        return array
    }

    /// The header of an `.npy` file: dtype, shape, and where the data starts.
    struct Header {
        /// NumPy's dtype string (`<f4`, `<f8`, `<i8`, `<i4`).
        var descr: String
        /// The dimensions.
        var shape: [Int]
        /// Byte offset of the first element.
        var dataOffset: Int
        /// Element count.
        var count: Int { shape.reduce(1, *) }
        /// Bytes per element.
        var width: Int { descr.hasSuffix("8") ? 8 : 4 }

        /// Reads and checks the header of `url`, including that the file holds all the data it announces.
        /// - Throws: `DatasetError` naming the file for a bad magic string, version, dtype, order or a short payload.
        init(_ url: URL) throws {
            let fd = open(url.path, O_RDONLY)
            guard fd >= 0 else { throw DatasetError.at(url, "cannot open: \(String(cString: strerror(errno)))") }
            defer { close(fd) }
            var prefix = [UInt8](repeating: 0, count: 12)
            guard pread(fd, &prefix, 12, 0) == 12, prefix[0] == 0x93, String(decoding: prefix[1..<6], as: UTF8.self) == "NUMPY" else {
                throw DatasetError.at(url, "not a NumPy .npy file (missing the \\x93NUMPY magic string)")
            }
            let length: Int, start: Int
            switch prefix[6] {
            case 1: (length, start) = (Int(prefix[8]) | Int(prefix[9]) << 8, 10)
            case 2, 3: (length, start) = (Int(prefix[8]) | Int(prefix[9]) << 8 | Int(prefix[10]) << 16 | Int(prefix[11]) << 24, 12)
            default: throw DatasetError.at(url, "unsupported .npy format version \(prefix[6])")
            }
            var text = [UInt8](repeating: 0, count: length)
            guard pread(fd, &text, length, off_t(start)) == length else { throw DatasetError.at(url, "truncated .npy header") }
            let header = String(decoding: text, as: UTF8.self)
            guard let descr = NpyArray.field("descr", in: header), let shapeText = NpyArray.field("shape", in: header) else {
                throw DatasetError.at(url, "unreadable .npy header: \(header)")
            }
            if NpyArray.field("fortran_order", in: header) == "True" { throw DatasetError.at(url, "Fortran-ordered arrays are not supported; save with C order") }
            guard ["<f4", "<f8", "<i8", "<i4"].contains(descr) else {
                throw DatasetError.at(url, "unsupported dtype '\(descr)': expected little-endian float32, float64, int64 or int32")
            }
            self.descr = descr
            let dimensions = shapeText.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " ()L")) }.filter { !$0.isEmpty }
            // Every dimension a non-negative integer, and the byte count representable: a damaged header must not
            // turn into a negative or overflowing allocation.
            let width = descr.hasSuffix("8") ? 8 : 4
            var bytes = width
            shape = try dimensions.map { text in
                guard let n = Int(text), n >= 0 else { throw DatasetError.at(url, "bad .npy shape \(shapeText): '\(text)' is not a size") }
                let (product, overflow) = bytes.multipliedReportingOverflow(by: n)
                guard !overflow else { throw DatasetError.at(url, "bad .npy shape \(shapeText): too large") }
                bytes = product
                return n
            }
            dataOffset = start + length
            var info = stat()
            guard fstat(fd, &info) == 0 else { throw DatasetError.at(url, "cannot stat: \(String(cString: strerror(errno)))") }
            let available = Int(info.st_size) - dataOffset
            guard available >= bytes else {
                throw DatasetError.at(url, "truncated .npy data: shape \(shape) needs \(bytes) bytes, found \(available)")
            }
        }

        /// The raw data bytes.
        /// - Throws: `DatasetError` when the file cannot be read.
        func payload(of url: URL) throws -> [UInt8] {
            Array(try TextFile.read(url)[dataOffset..<(dataOffset + count * width)])
        }

        /// Reads the elements of a floating-point array straight into `destination` (float64 narrowed to float32).
        /// - Throws: `DatasetError` when the read fails.
        func readFloats(of url: URL, into destination: UnsafeMutablePointer<Float>) throws {
            let fd = open(url.path, O_RDONLY)
            guard fd >= 0 else { throw DatasetError.at(url, "cannot open: \(String(cString: strerror(errno)))") }
            defer { close(fd) }
            if descr == "<f4" {
                try readFully(fd, into: UnsafeMutableRawPointer(destination), count: count * 4, url: url)
            } else {
                var wide = [Double](repeating: 0, count: count)
                try wide.withUnsafeMutableBytes { try readFully(fd, into: $0.baseAddress!, count: count * 8, url: url) }
                for k in 0..<count { destination[k] = Float(wide[k]) }
            }
        }

        private func readFully(_ fd: Int32, into buffer: UnsafeMutableRawPointer, count: Int, url: URL) throws {
            var done = 0
            while done < count {
                let n = pread(fd, buffer + done, count - done, off_t(dataOffset + done))
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { throw DatasetError.at(url, "read failed after \(done) of \(count) data bytes") }
                done += n
            }
        }
    }

    /// The text of `'key': value` in a header dictionary (quotes stripped).
    static func field(_ key: String, in header: String) -> String? {
        guard let range = header.range(of: "'\(key)':") else { return nil }
        var rest = header[range.upperBound...].drop { $0 == " " }
        if rest.first == "(" {
            guard let close = rest.firstIndex(of: ")") else { return nil }
            return String(rest[...close])
        }
        if rest.first == "'" { rest = rest.dropFirst() }
        return String(rest.prefix { $0 != "'" && $0 != "," && $0 != "}" })
    }

    /// A format-1.0 header, padded with spaces so the data starts at a multiple of 64 bytes.
    static func header(descr: String, shape: [Int]) -> Data {
        let dims = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var text = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(dims), }"
        let unpadded = 10 + text.utf8.count + 1
        text += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(text.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        data.append(contentsOf: Array(text.utf8))
        return data
    }
}

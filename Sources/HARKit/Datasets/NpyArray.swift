import Foundation

/// A NumPy `.npy` array (format 1.0/2.0, little-endian, C order) of float32, float64, int64 or int32 values.
struct NpyArray {
    /// The dimensions.
    var shape: [Int]
    /// Elements as float32 (floating arrays; float64 is narrowed).
    var floats: [Float] = []
    /// Elements as Int (integer arrays).
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

    /// Reads an `.npy` file.
    /// - Throws: `DatasetError` naming the file for a bad magic string, an unsupported dtype or order, or a short payload.
    static func read(_ url: URL) throws -> NpyArray {
        let bytes = try TextFile.read(url)
        return try bytes.withUnsafeBytes { raw in try decode(raw, file: url) }
    }

    private static func decode(_ raw: UnsafeRawBufferPointer, file: URL) throws -> NpyArray {
        guard raw.count >= 10, raw[0] == 0x93, String(decoding: raw[1..<6], as: UTF8.self) == "NUMPY" else {
            throw DatasetError.at(file, "not a NumPy .npy file (missing the \\x93NUMPY magic string)")
        }
        let major = raw[6]
        let headerLength: Int, start: Int
        if major == 1 {
            headerLength = Int(raw[8]) | Int(raw[9]) << 8
            start = 10
        } else if major == 2 || major == 3, raw.count >= 12 {
            headerLength = Int(raw[8]) | Int(raw[9]) << 8 | Int(raw[10]) << 16 | Int(raw[11]) << 24
            start = 12
        } else {
            throw DatasetError.at(file, "unsupported .npy format version \(major)")
        }
        guard raw.count >= start + headerLength else { throw DatasetError.at(file, "truncated .npy header") }
        let header = String(decoding: raw[start..<(start + headerLength)], as: UTF8.self)
        guard let descr = field("descr", in: header), let shapeText = field("shape", in: header) else {
            throw DatasetError.at(file, "unreadable .npy header: \(header)")
        }
        if field("fortran_order", in: header) == "True" { throw DatasetError.at(file, "Fortran-ordered arrays are not supported; save with C order") }
        let shape = shapeText.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: CharacterSet(charactersIn: " ()L"))) }
        let count = shape.reduce(1, *)
        let payload = UnsafeRawBufferPointer(rebasing: raw[(start + headerLength)...])
        let width: Int
        switch descr {
        case "<f4", "<i4": width = 4
        case "<f8", "<i8": width = 8
        default: throw DatasetError.at(file, "unsupported dtype '\(descr)': expected little-endian float32, float64, int64 or int32")
        }
        guard payload.count >= count * width else {
            throw DatasetError.at(file, "truncated .npy data: shape \(shape) needs \(count * width) bytes, found \(payload.count)")
        }
        var array = NpyArray(shape: shape, isInteger: descr.hasPrefix("<i"))
        switch descr {
        case "<f4":
            array.floats = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                memcpy(buffer.baseAddress!, payload.baseAddress!, count * 4)
                initialized = count
            }
        case "<f8": array.floats = (0..<count).map { Float(payload.loadUnaligned(fromByteOffset: $0 * 8, as: Double.self)) }
        case "<i8": array.integers = (0..<count).map { Int(payload.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self)) }
        default: array.integers = (0..<count).map { Int(payload.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self)) }
        }
        return array
    }

    /// The text of `'key': value` in a header dictionary (quotes stripped).
    private static func field(_ key: String, in header: String) -> String? {
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
    private static func header(descr: String, shape: [Int]) -> Data {
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

/// The CRC-32 checksum (IEEE 802.3, as zlib's `crc32`), accumulated over several byte runs.
struct CRC32 {
    private static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    private var state: UInt32 = 0xFFFF_FFFF

    /// The checksum of the bytes added so far.
    var value: UInt32 { state ^ 0xFFFF_FFFF }

    /// Adds `bytes` to the checksum.
    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var c = state
        CRC32.table.withUnsafeBufferPointer { table in
            for byte in bytes { c = table[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        }
        state = c
    }

    /// Adds the bytes of an array.
    mutating func add<T>(_ values: [T]) { values.withUnsafeBytes { add($0) } }

    /// Adds a string's UTF-8 bytes and a terminating zero.
    mutating func add(_ text: String) { add(Array(text.utf8) + [0]) }
}

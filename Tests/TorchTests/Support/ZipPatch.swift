import Foundation
@testable import Torch

/// Rewrites bytes inside one stored (uncompressed) record of a zip archive and fixes its CRC-32 (in the central
/// directory and in the data descriptor that follows the record, where torch.save's writer keeps them).
enum ZipPatch {
    static func replace(_ old: String, with new: String, inRecordEndingWith suffix: String, of archive: inout Data) throws {
        precondition(old.utf8.count == new.utf8.count, "same length keeps the zip's offsets")
        var bytes = [UInt8](archive)
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        func put32(_ value: UInt32, _ at: Int) { for k in 0..<4 { bytes[at + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) } }
        guard let end = stride(from: bytes.count - 22, through: 0, by: -1).first(where: { u32($0) == 0x0605_4B50 }) else {
            throw TorchError("not a zip archive")
        }
        var entry = u32(end + 16)
        for _ in 0..<u16(end + 10) {  // central directory entries
            let size = u32(entry + 20), nameLength = u16(entry + 28), extraLength = u16(entry + 30), commentLength = u16(entry + 32)
            let name = String(decoding: bytes[(entry + 46)..<(entry + 46 + nameLength)], as: UTF8.self)
            if name.hasSuffix(suffix) {
                let local = u32(entry + 42)
                let start = local + 30 + u16(local + 26) + u16(local + 28)
                var record = Array(bytes[start..<(start + size)])
                let pattern = Array(old.utf8)
                guard let offset = (0...(record.count - pattern.count)).first(where: { record[$0..<($0 + pattern.count)].elementsEqual(pattern) })
                else { throw TorchError("'\(old)' not in \(name)") }
                record.replaceSubrange(offset..<(offset + pattern.count), with: Array(new.utf8))
                bytes.replaceSubrange(start..<(start + size), with: record)
                let crc = crc32(record)
                put32(crc, entry + 16)
                if u16(local + 6) & 8 != 0 {  // a data descriptor follows the record, with or without its signature
                    put32(crc, start + size + (u32(start + size) == 0x0807_4B50 ? 4 : 0))
                } else {
                    put32(crc, local + 14)
                }
                archive = Data(bytes)
                return
            }
            entry += 46 + nameLength + extraLength + commentLength
        }
        throw TorchError("no record ending in \(suffix)")
    }

    private static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}

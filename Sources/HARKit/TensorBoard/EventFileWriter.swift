import Foundation

/// An events file in TensorBoard's record format, written one record at a time: each record is the length of the
/// serialized `Event` (UInt64, little-endian), the masked CRC-32C of those 8 bytes, the bytes, and their masked
/// CRC-32C. Every record goes to the file in one `write` as soon as it is made (no buffer in between), so a process
/// killed at any moment leaves whole records followed by at most one partial one, which TensorBoard's reader skips.
final class EventFileWriter {
    /// The file.
    let url: URL
    private let descriptor: Int32

    /// Creates a new file `events.out.tfevents.<seconds>.<host>.<pid>.<n>` in `folder` (the first `n` from 0 whose
    /// name is free), starting with the version record every events file begins with.
    /// - Throws: `TensorBoardError` naming the file when it cannot be created or written.
    init(folder: URL, now: Date = Date()) throws {
        let stem = String(format: "events.out.tfevents.%010d.%@.%d", Int(now.timeIntervalSince1970),
                          ProcessInfo.processInfo.hostName, Int(getpid()))
        var number = 0
        var url = folder.appendingPathComponent("\(stem).\(number)")
        var descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        while descriptor < 0, errno == EEXIST, number < 1000 {
            number += 1
            url = folder.appendingPathComponent("\(stem).\(number)")
            descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        }
        guard descriptor >= 0 else {
            throw TensorBoardError("cannot create the TensorBoard events file '\(url.path)': \(String(cString: strerror(errno)))")
        }
        (self.url, self.descriptor) = (url, descriptor)
        var version = Tensorboard_Event()
        version.wallTime = now.timeIntervalSince1970
        version.fileVersion = "brain.Event:2"
        try write(version)
    }

    deinit { close(descriptor) }

    /// Appends `event` as one record.
    /// - Throws: `TensorBoardError` naming the file when the event cannot be serialized or written.
    func write(_ event: Tensorboard_Event) throws {
        let bytes: [UInt8]
        do {
            bytes = EventFileWriter.record(try event.serializedBytes())
        } catch {
            throw TensorBoardError("cannot serialize a TensorBoard event for '\(url.path)': \(error)")
        }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress! + written, bytes.count - written) }
            if result < 0, errno == EINTR { continue }
            guard result > 0 else {
                throw TensorBoardError("cannot write the TensorBoard events file '\(url.path)': \(String(cString: strerror(errno)))")
            }
            written += result
        }
    }

    /// `data` framed as one record of the format.
    static func record(_ data: [UInt8]) -> [UInt8] {
        var length = UInt64(data.count).littleEndian
        let header = withUnsafeBytes(of: &length) { Array($0) }
        var record = header
        record.reserveCapacity(data.count + 16)
        appendLittleEndian(CRC32C.masked(CRC32C.checksum(header)), to: &record)
        record += data
        appendLittleEndian(CRC32C.masked(CRC32C.checksum(data)), to: &record)
        return record
    }

    private static func appendLittleEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }
}

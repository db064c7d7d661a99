import Foundation

/// Reads a `StreamSource` as lines, a wait at a time, so that the caller can poll for Ctrl-C, say that the input is
/// stalled and keep going: standard input until it ends, a file followed as it grows (a partial last line waits for
/// its line end), a TCP listener serving one client at a time, a UDP socket (a datagram's end also ends a line).
///
/// Sockets listen on `StreamSource.localHost` unless the source names another address.
public final class StreamInput {
    /// What is read.
    public let source: StreamSource
    /// The port a socket source listens on (the one the system chose for port 0); nil for files and standard input.
    public private(set) var port: UInt16?

    /// A line longer than this without a line end is cut here (and will read as a malformed sample).
    static let longestLine = 1 << 16

    private var descriptor: Int32 = -1
    private var client: Int32 = -1
    private var clientName = ""
    private var partial: [UInt8] = []
    private var offset = 0
    private var queued: [StreamInputEvent] = []
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)

    /// Opens the file, or binds and listens on the socket.
    /// - Throws: `StreamError` naming the file or address when it cannot be opened or bound.
    public init(_ source: StreamSource) throws {
        self.source = source
        switch source {
        case .standardInput:
            descriptor = 0
        case .file(let url):
            descriptor = open(url.path, O_RDONLY)
            guard descriptor >= 0 else { throw StreamError("cannot open '\(url.path)': \(String(cString: strerror(errno)))") }
        case .tcp(let host, let port):
            (descriptor, self.port) = try Self.bind(host: host, port: port, type: SOCK_STREAM, name: "\(source)")
        case .udp(let host, let port):
            (descriptor, self.port) = try Self.bind(host: host, port: port, type: SOCK_DGRAM, name: "\(source)")
        }
    }

    deinit {
        if client >= 0 { close(client) }
        if descriptor > 0 { close(descriptor) }
    }

    /// Waits up to `timeout` seconds for input and says what came (an interrupted wait, Ctrl-C, reads as `.idle`).
    /// - Throws: `StreamError` when reading fails.
    public func next(waiting timeout: Double) throws -> StreamInputEvent {
        if !queued.isEmpty { return queued.removeFirst() }
        switch source {
        case .standardInput: return try readStream(descriptor, timeout: timeout, ending: .ended)
        case .file: return try readFile(timeout: timeout)
        case .tcp: return try readTCP(timeout: timeout)
        case .udp: return try readDatagram(timeout: timeout)
        }
    }

    private func readFile(timeout: Double) throws -> StreamInputEvent {
        let n = read(descriptor, &buffer, buffer.count)
        guard n >= 0 else { throw StreamError("reading '\(source)': \(String(cString: strerror(errno)))") }
        if n > 0 {
            offset += n
            let lines = split(buffer[0..<n])
            return lines.isEmpty ? .idle : .lines(lines)
        }
        var status = stat()
        if fstat(descriptor, &status) == 0, Int(status.st_size) < offset {
            lseek(descriptor, 0, SEEK_SET)
            (offset, partial) = (0, [])
            return .truncated
        }
        usleep(useconds_t(timeout * 1_000_000))
        return .idle
    }

    private func readTCP(timeout: Double) throws -> StreamInputEvent {
        guard client >= 0 else {
            guard wait(descriptor, timeout: timeout) else { return .idle }
            var address = sockaddr_in()
            var size = socklen_t(MemoryLayout<sockaddr_in>.size)
            let accepted = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(descriptor, $0, &size) }
            }
            guard accepted >= 0 else { return .idle }
            client = accepted
            clientName = "\(String(cString: inet_ntoa(address.sin_addr))):\(UInt16(bigEndian: address.sin_port))"
            partial = []
            return .connected(clientName)
        }
        let event = try readStream(client, timeout: timeout, ending: .disconnected(clientName))
        if !queued.isEmpty || event == .disconnected(clientName) {
            close(client)
            client = -1
        }
        return event
    }

    /// Reads what `fd` has; at its end, the partial line (if any) and then `ending`.
    private func readStream(_ fd: Int32, timeout: Double, ending: StreamInputEvent) throws -> StreamInputEvent {
        guard wait(fd, timeout: timeout) else { return .idle }
        let n = read(fd, &buffer, buffer.count)
        if n < 0 {
            if errno == EINTR || errno == EAGAIN { return .idle }
            throw StreamError("reading \(source): \(String(cString: strerror(errno)))")
        }
        guard n > 0 else {
            let last = partial.isEmpty ? nil : String(decoding: partial, as: UTF8.self)
            partial = []
            guard let last else { return ending }
            queued.append(ending)
            return .lines([Self.trimmed(last)])
        }
        let lines = split(buffer[0..<n])
        return lines.isEmpty ? .idle : .lines(lines)
    }

    private func readDatagram(timeout: Double) throws -> StreamInputEvent {
        guard wait(descriptor, timeout: timeout) else { return .idle }
        let n = recv(descriptor, &buffer, buffer.count, 0)
        guard n > 0 else { return .idle }
        var lines = split(buffer[0..<n])
        if !partial.isEmpty { lines.append(Self.trimmed(String(decoding: partial, as: UTF8.self))) }
        partial = []
        return lines.isEmpty ? .idle : .lines(lines)
    }

    /// The complete lines of `partial + bytes`; what follows the last line end stays in `partial`.
    private func split(_ bytes: ArraySlice<UInt8>) -> [String] {
        partial += bytes
        var lines: [String] = []
        var start = partial.startIndex
        while let end = partial[start...].firstIndex(of: 0x0A) {
            lines.append(Self.trimmed(String(decoding: partial[start..<end], as: UTF8.self)))
            start = end + 1
        }
        partial.removeSubrange(partial.startIndex..<start)
        if partial.count > Self.longestLine {
            lines.append(String(decoding: partial, as: UTF8.self))
            partial = []
        }
        return lines
    }

    private static func trimmed(_ line: String) -> String { line.hasSuffix("\r") ? String(line.dropLast()) : line }

    /// Whether `fd` has input within `timeout` seconds (false when the wait is interrupted).
    private func wait(_ fd: Int32, timeout: Double) -> Bool {
        var request = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&request, 1, Int32(max(0, timeout) * 1000)) > 0
    }

    private static func bind(host: String, port: UInt16, type: __socket_type, name: String) throws -> (Int32, UInt16) {
        let fd = socket(AF_INET, Int32(type.rawValue), 0)
        guard fd >= 0 else { throw StreamError("cannot open a socket for \(name): \(String(cString: strerror(errno)))") }
        var reuse: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, host, &address.sin_addr)
        var size = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(fd, $0, size) == 0 && (type == SOCK_DGRAM || listen(fd, 4) == 0) && getsockname(fd, $0, &size) == 0
            }
        }
        guard bound else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw StreamError("cannot listen on \(name): \(reason)")
        }
        return (fd, UInt16(bigEndian: address.sin_port))
    }
}

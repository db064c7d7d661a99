import Foundation

/// The peers of the `stream` socket tests: a free port on 127.0.0.1, a TCP client and a UDP sender.
enum LocalSocket {
    /// A flag one thread sets and another reads.
    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        /// Sets the flag.
        func set() { lock.withLock { value = true } }
        /// Whether it is set.
        var isSet: Bool { lock.withLock { value } }
    }

    /// A port of 127.0.0.1 that was free a moment ago (the system's choice for port 0).
    static func freePort(udp: Bool = false) throws -> UInt16 {
        let fd = socket(AF_INET, Int32((udp ? SOCK_DGRAM : SOCK_STREAM).rawValue), 0)
        defer { close(fd) }
        var address = loopback(port: 0)
        var size = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, size) == 0 && getsockname(fd, $0, &size) == 0 }
        }
        guard ok else { throw POSIXError(.EADDRNOTAVAIL) }
        return UInt16(bigEndian: address.sin_port)
    }

    /// Connects to 127.0.0.1:`port` (trying again until it listens, for at most `seconds`), sends `text` and closes.
    static func sendTCP(_ text: String, port: UInt16, for seconds: Double) {
        let until = Date().addingTimeInterval(seconds)
        while Date() < until {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = loopback(port: port)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
            if connected {
                let bytes = Array(text.utf8)
                var offset = 0
                while offset < bytes.count {
                    let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
                    if n <= 0 { break }
                    offset += n
                }
                close(fd)
                return
            }
            close(fd)
            usleep(50_000)
        }
    }

    /// Sends each of `datagrams` to 127.0.0.1:`port`, over and over every 50 ms, until `done` is set.
    static func sendUDP(_ datagrams: [String], port: UInt16, until done: Flag) {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = loopback(port: port)
        while !done.isSet {
            for datagram in datagrams {
                let bytes = Array(datagram.utf8)
                _ = withUnsafePointer(to: &address) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { target in
                        bytes.withUnsafeBytes { sendto(fd, $0.baseAddress!, bytes.count, 0, target, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                    }
                }
            }
            usleep(50_000)
        }
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        return address
    }
}

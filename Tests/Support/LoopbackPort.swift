import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP port on 127.0.0.1 for tests of distributed jobs: one nobody listens on (the kernel picks a free one and
/// the socket closes), or one held by a listening socket (to show what a port in use does).
public final class LoopbackPort {
    /// The port number.
    public let number: Int
    private let descriptor: Int32

    private init(listening: Bool) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard bound == 0, named == 0, !listening || listen(fd, 16) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        number = Int(UInt16(bigEndian: address.sin_port))
        if !listening { close(fd) }
        descriptor = listening ? fd : -1
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// A port that was free a moment ago and that nothing listens on now.
    public static func free() throws -> Int { try LoopbackPort(listening: false).number }

    /// A port this object listens on (and never accepts) until it is released: a port in use.
    public static func held() throws -> LoopbackPort { try LoopbackPort(listening: true) }
}

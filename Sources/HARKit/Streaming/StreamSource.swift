import Foundation

/// Where a stream's sample lines come from: standard input, a file followed as it grows, or a socket.
public enum StreamSource: Sendable, Equatable, CustomStringConvertible {
    /// Standard input, until it ends.
    case standardInput
    /// A file, read from its start and then followed as it grows (like `tail -f`).
    case file(URL)
    /// TCP connections to `host:port`, one client at a time, each a stretch of the stream.
    case tcp(host: String, port: UInt16)
    /// UDP datagrams to `host:port`, each one or more lines.
    case udp(host: String, port: UInt16)

    /// The address sockets listen on unless the user names another: this machine only.
    public static let localHost = "127.0.0.1"

    /// Reads `-`, `tcp:PORT`, `tcp:HOST:PORT`, `udp:PORT`, `udp:HOST:PORT` (an IPv4 address or `localhost`;
    /// port 0 picks a free port); anything else is a file path, resolved by `file`.
    /// - Throws: `StreamError` naming the text when a socket address or port does not parse.
    public static func parse(_ text: String, file: (String) -> URL) throws -> StreamSource {
        if text == "-" { return .standardInput }
        let lowered = text.lowercased()
        guard lowered.hasPrefix("tcp:") || lowered.hasPrefix("udp:") else { return .file(file(text)) }
        let parts = text.dropFirst(4).split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard (1...2).contains(parts.count), let port = UInt16(parts.last!) else {
            throw StreamError("'\(text)' is not tcp:PORT, tcp:HOST:PORT, udp:PORT or udp:HOST:PORT (a port 0…65535)")
        }
        let host = parts.count == 2 ? (parts[0] == "localhost" ? localHost : parts[0]) : localHost
        var address = in_addr()
        guard inet_pton(AF_INET, host, &address) == 1 else {
            throw StreamError("'\(parts[0])' in '\(text)' is not an IPv4 address (such as 127.0.0.1 or 0.0.0.0) or localhost")
        }
        return lowered.hasPrefix("tcp:") ? .tcp(host: host, port: port) : .udp(host: host, port: port)
    }

    /// `-`, the file's path, or `tcp:HOST:PORT` / `udp:HOST:PORT`.
    public var description: String {
        switch self {
        case .standardInput: "standard input"
        case .file(let url): url.path
        case .tcp(let host, let port): "tcp:\(host):\(port)"
        case .udp(let host, let port): "udp:\(host):\(port)"
        }
    }
}

import Foundation

/// A tiny HTTP/1.1 server on 127.0.0.1 for the download tests: serves fixed bodies by path, optionally announcing more
/// bytes than it sends (a truncated transfer). Started and stopped by the test itself.
final class DownloadTestServer: @unchecked Sendable {
    /// What one path serves.
    struct Response {
        var body: Data
        /// The Content-Length to announce (nil: the body's size).
        var announcedLength: Int?
        /// The pause after each 1 KiB of the body (a slow transfer); zero sends it at once.
        var pausePerKiB: TimeInterval = 0
    }

    /// The port it listens on.
    private(set) var port: UInt16 = 0
    private let routes: [String: Response]
    private var listener: Int32 = -1
    private let finished = DispatchSemaphore(value: 0)

    /// Starts listening on an ephemeral port of 127.0.0.1.
    init(routes: [String: Response]) throws {
        self.routes = routes
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var size = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, size) == 0 && listen(listener, 8) == 0 && getsockname(listener, $0, &size) == 0 }
        }
        guard bound else { close(listener); throw POSIXError(.EADDRINUSE) }
        port = UInt16(bigEndian: address.sin_port)
        let socketDescriptor = listener
        Thread.detachNewThread { [self] in
            while true {
                let client = accept(socketDescriptor, nil, nil)
                if client < 0 { break }
                serve(client)
            }
            finished.signal()
        }
    }

    /// The URL of `path` on this server.
    func url(_ path: String) -> URL { URL(string: "http://127.0.0.1:\(port)/\(path)")! }

    /// Stops accepting connections and waits for the accept loop to end.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        finished.wait()
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        var request = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !request.containsHeaderEnd {
            let n = recv(client, &buffer, buffer.count, 0)
            if n <= 0 { return }
            request += buffer[0..<n]
        }
        let line = String(decoding: request.prefix { $0 != 0x0D }, as: UTF8.self).split(separator: " ")
        let path = line.count > 1 ? String(line[1].dropFirst()) : ""
        guard let response = routes[path] else {
            send(client, Data("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
            return
        }
        let header = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: \(response.announcedLength ?? response.body.count)\r\nConnection: close\r\n\r\n"
        guard response.pausePerKiB > 0 else {
            send(client, Data(header.utf8) + response.body)
            return
        }
        guard send(client, Data(header.utf8)) else { return }
        for start in stride(from: 0, to: response.body.count, by: 1024) {
            guard send(client, response.body[start..<min(start + 1024, response.body.count)]) else { return }
            Thread.sleep(forTimeInterval: response.pausePerKiB)
        }
    }

    /// Sends all of `data`; false when the client went away.
    @discardableResult
    private func send(_ client: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.send(client, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
    }
}

private extension Array where Element == UInt8 {
    var containsHeaderEnd: Bool {
        count >= 4 && (0...(count - 4)).contains { self[$0] == 0x0D && self[$0 + 1] == 0x0A && self[$0 + 2] == 0x0D && self[$0 + 3] == 0x0A }
    }
}

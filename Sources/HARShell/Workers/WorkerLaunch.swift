import Foundation
import HARKit
#if canImport(Glibc)
import Glibc
#endif

/// How this session starts local workers: the `har` executable, the environment they inherit, and the bound on
/// every wait of a job (`HARLAB_DIST_TIMEOUT`, seconds; default 30).
public struct WorkerLaunch: Sendable {
    /// The `har` program the workers run.
    public var executable: URL
    /// The session's environment (its own job's variables are not passed on).
    public var environment: [String: String]

    /// Workers of `executable` with `environment`.
    public init(executable: URL, environment: [String: String]) {
        self.executable = executable
        self.environment = environment
    }

    /// The variables of a launched job's rank, which a worker must not inherit (it joins its session instead).
    static let jobVariables = LaunchEnvironment.variables + ["LOCAL_RANK", "LOCAL_WORLD_SIZE", "TORCHELASTIC_USE_AGENT_STORE",
                                                              "TORCHELASTIC_RESTART_COUNT"]

    /// The bound on every wait of a job with workers: `HARLAB_DIST_TIMEOUT` in `environment`, else 30 s.
    /// - Throws: `ShellError` when the variable is not a positive number.
    static func timeout(_ environment: [String: String]) throws -> TimeInterval {
        guard let text = environment["HARLAB_DIST_TIMEOUT"] else { return LaunchEnvironment.defaultTimeout }
        guard let seconds = Double(text), seconds.isFinite, seconds > 0 else {
            throw ShellError("HARLAB_DIST_TIMEOUT=\(text) is not a positive number of seconds")
        }
        return seconds
    }

    /// The environment of a local worker of the session with process id `session`: the session's, without a job's
    /// variables, with the timeout the session uses and the mark that makes the worker leave Ctrl-C to the session.
    func workerEnvironment(timeout: TimeInterval, session: Int32) -> [String: String] {
        var variables = environment
        for name in WorkerLaunch.jobVariables { variables.removeValue(forKey: name) }
        variables["HARLAB_DIST_TIMEOUT"] = String(format: "%g", timeout)
        variables[WorkerLaunch.sessionVariable] = "\(session)"
        return variables
    }

    /// Set in the environment of the workers a session starts: the session's process id. Such a worker ignores
    /// SIGINT (Ctrl-C reaches the whole terminal's process group; the session stops the workers' work itself).
    public static let sessionVariable = "HARLAB_WORKER_OF"

    /// A TCP port on 127.0.0.1 that was free a moment ago (the kernel's pick for a socket bound to port 0).
    /// - Throws: `ShellError` when no socket could be bound.
    static func freeLoopbackPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ShellError("cannot open a socket to find a free port: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw ShellError("cannot find a free port on 127.0.0.1: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

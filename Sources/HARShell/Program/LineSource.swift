import Foundation

/// Where the interactive loop reads lines: libedit on a terminal (in the `har` executable),
/// standard input otherwise, a list of lines in tests.
public protocol LineSource: AnyObject {
    /// The next line typed after `prompt`.
    func readLine(prompt: String) -> LineInput
    /// Remembers a line for recall (the terminal's history).
    func addHistory(_ line: String)
}

/// What reading a line came to.
public enum LineInput: Sendable, Equatable {
    /// A line (without its line break).
    case line(String)
    /// Ctrl-C at the prompt: the line was dropped.
    case interrupted
    /// End of input (Ctrl-D, end of file).
    case end
}

/// Lines from standard input without editing (stdin not a terminal), read with `read(2)` so that a
/// SIGINT (which interrupts the read with EINTR) ends the input instead of being retried.
public final class StandardInputLines: LineSource {
    private var buffer: [UInt8] = []
    private var finished = false

    /// A reader of standard input.
    public init() {}

    /// The next line of standard input; the prompt is not shown. `.interrupted` when a signal cut the read.
    public func readLine(prompt: String) -> LineInput {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return .line(line)
            }
            if finished {
                guard !buffer.isEmpty else { return .end }
                defer { buffer = [] }
                return .line(String(decoding: buffer, as: UTF8.self))
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { return .interrupted }
                finished = true
            } else if count == 0 {
                finished = true
            } else {
                buffer += chunk[..<count]
            }
        }
    }

    /// Standard input keeps no history.
    public func addHistory(_ line: String) {}
}

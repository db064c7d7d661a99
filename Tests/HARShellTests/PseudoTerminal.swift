import Foundation
import Glibc

/// A child process on a pseudo-terminal, driven like a person at a keyboard.
final class PseudoTerminal {
    private var master: Int32 = -1
    private(set) var pid: pid_t = -1
    private var exitStatus: Int32?
    /// Everything the child has written so far.
    private(set) var transcript = ""

    /// Starts `executable` with `arguments` and `environment` on a new pseudo-terminal (80 × 24).
    init(executable: URL, arguments: [String], environment: [String: String]) throws {
        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var size = winsize(ws_row: 24, ws_col: 80, ws_xpixel: 0, ws_ypixel: 0)
        let child = forkpty(&master, nil, nil, &size)
        if child == 0 {
            execve(argv[0]!, argv, envp)
            _exit(127)
        }
        guard child > 0 else { throw NSError(domain: "pty", code: Int(errno)) }
        pid = child
    }

    deinit {
        if exitStatus == nil, pid > 0 {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        if master >= 0 { close(master) }
    }

    /// Types `text` once the line editor is reading: libedit prints the prompt before it switches the
    /// terminal out of canonical mode, and keys typed in between (like a Ctrl-D) would be taken by the tty.
    /// With `atPrompt` false (typing while a command runs) it types at once.
    func type(_ text: String, atPrompt: Bool = true) {
        if atPrompt { waitUntilEditing() }
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    /// Waits (at most 5 s) until the terminal is in the editor's non-canonical mode.
    private func waitUntilEditing() {
        let deadline = Date().addingTimeInterval(5)
        var attributes = termios()
        while Date() < deadline, tcgetattr(master, &attributes) == 0, attributes.c_lflag & tcflag_t(ICANON) != 0 {
            _ = readAvailable(timeout: 0.01)
        }
    }

    /// Reads until the output since `mark` contains `text` or `timeout` seconds pass; returns whether it appeared.
    @discardableResult
    func waitFor(_ text: String, after mark: String.Index? = nil, timeout: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let start = mark ?? transcript.startIndex
            if transcript[start...].contains(text) { return true }
            guard Date() < deadline, readAvailable(timeout: 0.1) else {
                if Date() >= deadline { return false }
                continue
            }
        }
    }

    /// The current end of the transcript, to look for output after it.
    var mark: String.Index { transcript.endIndex }

    /// Waits for the child to exit and returns its exit status (nil on timeout or a signal).
    func waitForExit(timeout: Double = 10) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            _ = readAvailable(timeout: 0.05)
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : nil
                return exitStatus
            }
        }
        return nil
    }

    /// Reads whatever is available within `timeout`; false once the terminal is closed.
    private func readAvailable(timeout: Double) -> Bool {
        var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, Int32(timeout * 1000)) > 0 else { return true }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = read(master, &buffer, buffer.count)
        guard n > 0 else { return false }
        transcript += String(decoding: buffer[0..<n], as: UTF8.self)
        return true
    }
}

import Foundation

/// How many columns the shell's text may use: the terminal's width when the text goes to one, else `COLUMNS`,
/// else `TerminalWidth.default`.
public enum TerminalWidth {
    /// The width assumed off a terminal without `COLUMNS` (a pipe, a file, a log).
    public static let `default` = 120

    /// The columns of the terminal on file descriptor `fd`, when it is one and says its size.
    public static func measured(fd: Int32) -> Int? {
        var size = winsize()
        let status = withUnsafeMutablePointer(to: &size) { ioctl(fd, UInt(TIOCGWINSZ), $0) }
        return status == 0 && size.ws_col > 0 ? Int(size.ws_col) : nil
    }

    /// The width for text: `measured` (a terminal's own size) first, then a positive whole `COLUMNS`, then the default.
    public static func resolve(measured: Int?, environment: [String: String]) -> Int {
        if let measured, measured > 0 { return measured }
        if let columns = environment["COLUMNS"].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }), columns > 0 { return columns }
        return TerminalWidth.default
    }
}

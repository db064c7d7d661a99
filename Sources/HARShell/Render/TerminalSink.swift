import Foundation

/// The output sink of the `har` executable: text to stdout (stderr under `--json`), errors to stderr with
/// a caret under the offending word, results as JSON lines under `--json`, and a progress bar redrawn in
/// place on stderr when it is a terminal.
public final class TerminalSink: OutputSink {
    /// Writes one chunk of text to a stream.
    public typealias Writer = (String) -> Void

    private let json: Bool
    private let document: Bool
    private var documentResults: [CommandResult] = []
    private let showProgress: Bool
    private let textStyle: Style
    private let errorStyle: Style
    private let writeOut: Writer
    private let writeErr: Writer
    private let width: () -> Int
    private var progressShown = false
    private let liveStatus: Bool
    private var statusShown = false

    /// A sink.
    /// - Parameters:
    ///   - json: print results as JSON lines on stdout and text on stderr.
    ///   - document: with `json`, keep the results and print them as one JSON array at `finish()` instead.
    ///   - showProgress: draw progress bars (stderr is a terminal and not `--quiet`).
    ///   - textStyle: colours for text on its stream; `errorStyle` for stderr.
    ///   - writeOut: writes to stdout; `writeErr` to stderr.
    ///   - width: the columns text may use, asked before each command's output (a terminal may have been resized).
    ///   - liveStatus: redraw `status(_:)` lines in place on standard output (it is a terminal and not `--json`).
    public init(json: Bool, document: Bool = false, showProgress: Bool, liveStatus: Bool = false, textStyle: Style, errorStyle: Style,
                writeOut: @escaping Writer = TerminalSink.standardOutput, writeErr: @escaping Writer = TerminalSink.standardError,
                width: @escaping () -> Int = { TerminalWidth.default }) {
        self.json = json
        self.document = document
        self.showProgress = showProgress
        self.liveStatus = liveStatus && !json
        self.textStyle = textStyle
        self.errorStyle = errorStyle
        self.writeOut = writeOut
        self.writeErr = writeErr
        self.width = width
    }

    /// The columns text may use now.
    public var columns: Int? { width() }

    /// Writes to file descriptor 1.
    public static func standardOutput(_ text: String) { writeAll(1, text) }
    /// Writes to file descriptor 2.
    public static func standardError(_ text: String) { writeAll(2, text) }

    private static func writeAll(_ fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }

    /// Whether `status(_:)` redraws a line in place.
    public var showsLiveStatus: Bool { liveStatus }

    /// Redraws the live status line in place on standard output (only with `liveStatus`); nil clears it.
    public func status(_ line: String?) {
        guard liveStatus else { return }
        guard let line else { clearStatus(); return }
        clearProgress()
        writeOut("\r" + line + "\u{1B}[K")
        statusShown = true
    }

    /// Prints a line of text (stderr under `--json`).
    public func text(_ line: String) {
        clearProgress()
        clearStatus()
        (json ? writeErr : writeOut)(line + "\n")
    }

    /// Prints the result as a JSON line under `--json` (keeps it for `finish()` under `--json-document`); otherwise the
    /// text already said it.
    public func result(_ result: CommandResult) {
        guard json else { return }
        if document { documentResults.append(result); return }
        clearProgress()
        writeOut(result.json.serialized + "\n")
    }

    /// Under `--json-document`, prints every result kept as one JSON array (`[]` for none), one result per line.
    public func finish() {
        guard json, document else { return }
        clearProgress()
        writeOut(documentResults.isEmpty ? "[]\n" : "[\n" + documentResults.map(\.json.serialized).joined(separator: ",\n") + "\n]\n")
        documentResults = []
    }

    /// Prints the error with its caret to stderr.
    public func error(_ error: ShellError, source: String, origin: String?) {
        clearProgress()
        clearStatus()
        writeErr(ErrorView.render(error, source: source, origin: origin, style: errorStyle).joined(separator: "\n") + "\n")
    }

    /// Prints `warning: message` to stderr.
    public func warning(_ message: String) {
        clearProgress()
        clearStatus()
        writeErr(errorStyle.yellow("warning: ") + message + "\n")
    }

    /// Redraws the progress bar in place (only on a terminal, not with `--quiet`).
    public func progress(_ progress: Progress?) {
        guard showProgress else { return }
        guard let progress else { clearProgress(); return }
        writeErr("\r" + ProgressBar.render(progress) + "\u{1B}[K")
        progressShown = true
    }

    private func clearStatus() {
        guard statusShown else { return }
        writeOut("\r\u{1B}[K")
        statusShown = false
    }

    private func clearProgress() {
        guard progressShown else { return }
        writeErr("\r\u{1B}[K")
        progressShown = false
    }
}

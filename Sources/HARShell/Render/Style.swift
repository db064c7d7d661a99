/// ANSI styling that can be switched off: colour only on a terminal, never with `NO_COLOR` set.
public struct Style: Sendable, Equatable {
    /// Whether escape codes are emitted.
    public var colour: Bool

    /// A style that colours when `colour` is true.
    public init(colour: Bool) { self.colour = colour }

    /// Colour on when the stream is a terminal and `NO_COLOR` is unset or empty (https://no-color.org).
    public static func forTerminal(isTerminal: Bool, environment: [String: String]) -> Style {
        Style(colour: isTerminal && (environment["NO_COLOR"] ?? "").isEmpty)
    }

    /// `text` in bold.
    public func bold(_ text: String) -> String { wrap(text, "1") }
    /// `text` dimmed.
    public func dim(_ text: String) -> String { wrap(text, "2") }
    /// `text` in red (errors).
    public func red(_ text: String) -> String { wrap(text, "31") }
    /// `text` in green.
    public func green(_ text: String) -> String { wrap(text, "32") }
    /// `text` in yellow (warnings).
    public func yellow(_ text: String) -> String { wrap(text, "33") }
    /// `text` on the xterm-256 background colour `index`.
    public func background(_ text: String, _ index: Int) -> String { wrap(text, "48;5;\(index)") }

    private func wrap(_ text: String, _ code: String) -> String {
        colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}

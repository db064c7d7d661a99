import HARKit

/// The `har` command language: tokenizer, parser, session and interpreter.
public enum HARShell {
    /// The banner shown when the interactive shell starts.
    public static var banner: String { "harlab \(HARKit.version) — type 'help' for commands" }
}

/// One lexical unit of a command line, with where it starts.
public struct Token: Sendable, Equatable {
    /// What a token is.
    public enum Kind: Sendable, Equatable {
        /// A bare word or number (`train`, `1e-3`, `attn+lstm`, `?train`).
        case word
        /// A quoted string; `text` is its content without quotes.
        case string
        /// `key=value`; `text` is the value, `key` the key.
        case option
        /// `;`, ending a command.
        case separator
    }

    /// The token's kind.
    public var kind: Kind
    /// The word, the string's content or the option's value.
    public var text: String
    /// The option's key (only for `.option`).
    public var key: String?
    /// Character offset of the token's first character in the source.
    public var offset: Int
    /// Character offset just past the token's last character in the source.
    public var end: Int

    /// A token.
    public init(_ kind: Kind, _ text: String, key: String? = nil, offset: Int, end: Int) {
        self.kind = kind
        self.text = text
        self.key = key
        self.offset = offset
        self.end = end
    }
}

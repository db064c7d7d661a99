/// An attention map that cannot be computed: no spatial attention in the model, or no such window, class or layer.
public struct AttentionError: HARKitError, Equatable {
    /// What went wrong.
    public let message: String

    /// An error with `message`.
    public init(_ message: String) { self.message = message }
}

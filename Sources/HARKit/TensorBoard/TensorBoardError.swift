/// A TensorBoard log that could not be written (its folder or events file), naming the path.
public struct TensorBoardError: HARKitError, Equatable {
    /// What went wrong, naming the folder or file.
    public let message: String

    /// An error with `message`.
    public init(_ message: String) { self.message = message }
}

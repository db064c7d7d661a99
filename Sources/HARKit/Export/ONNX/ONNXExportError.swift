/// A model that could not be exported to ONNX: no model, a layer with no ONNX form, or a file that cannot be written.
public struct ONNXExportError: HARKitError, Equatable {
    /// What went wrong, naming the layer or file.
    public let message: String

    /// An error with `message`.
    public init(_ message: String) { self.message = message }
}

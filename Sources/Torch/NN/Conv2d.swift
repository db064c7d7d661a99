/// A 2-D convolution over `[B, Cin, H, W]`.
public final class Conv2d: Module {
    /// `[out, in/groups, kh, kw]`.
    public let weight: Tensor
    /// `[out]`, or nil.
    public let bias: Tensor?
    /// The step between windows (height, width).
    public let stride: (Int, Int)
    /// Zeros added on each side (height, width).
    public let padding: (Int, Int)
    /// The spacing between kernel taps (height, width).
    public let dilation: (Int, Int)
    /// Channel groups.
    public let groups: Int
    /// Whether the layer behaves as in training (see `Module.isTraining`).
    public var isTraining = true

    /// A convolution initialised as PyTorch's `nn.Conv2d`.
    public init(_ inputs: Int, _ outputs: Int, kernel: (Int, Int), stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0),
                dilation: (Int, Int) = (1, 1), groups: Int = 1, bias: Bool = true) throws {
        guard groups > 0, inputs % groups == 0, outputs % groups == 0 else {
            throw TorchError("Conv2d: channels \(inputs)→\(outputs) are not divisible by groups \(groups)")
        }
        let fanIn = inputs / groups * kernel.0 * kernel.1
        weight = try defaultInitialized(shape: [outputs, inputs / groups, kernel.0, kernel.1], fanIn: fanIn)
        self.bias = bias ? try defaultInitialized(shape: [outputs], fanIn: fanIn) : nil
        (self.stride, self.padding, self.dilation, self.groups) = (stride, padding, dilation, groups)
    }

    /// This layer's trainable tensors by PyTorch's local names.
    public var ownParameters: [(name: String, tensor: Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    /// The forward pass.
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try Functional.conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
    }
}

/// A 1-D convolution over `[B, Cin, L]` (PyTorch's `nn.Conv1d`).
public final class Conv1d: Module {
    /// `[out, in/groups, kernel]`.
    public let weight: Tensor
    /// `[out]`, or nil.
    public let bias: Tensor?
    /// The step between windows.
    public let stride: Int
    /// Zeros added at both ends.
    public let padding: Int
    /// The spacing between kernel taps.
    public let dilation: Int
    /// Channel groups (`inputs` for a depthwise convolution).
    public let groups: Int
    /// Whether the layer behaves as in training (see `Module.isTraining`).
    public var isTraining = true

    /// A convolution initialised as PyTorch's `nn.Conv1d`: weights and bias U(-1/√fan_in, 1/√fan_in).
    /// - Throws: `TorchError` when the channels are not divisible by `groups` or a size is not positive.
    public init(_ inputs: Int, _ outputs: Int, kernel: Int, stride: Int = 1, padding: Int = 0, dilation: Int = 1,
                groups: Int = 1, bias: Bool = true) throws {
        guard groups > 0, inputs % groups == 0, outputs % groups == 0 else {
            throw TorchError("Conv1d: channels \(inputs)→\(outputs) are not divisible by groups \(groups)")
        }
        guard kernel > 0, stride > 0, dilation > 0, padding >= 0 else {
            throw TorchError("Conv1d: kernel \(kernel), stride \(stride) and dilation \(dilation) must be positive, padding \(padding) not negative")
        }
        let fanIn = inputs / groups * kernel
        weight = try defaultInitialized(shape: [outputs, inputs / groups, kernel], fanIn: fanIn)
        self.bias = bias ? try defaultInitialized(shape: [outputs], fanIn: fanIn) : nil
        (self.stride, self.padding, self.dilation, self.groups) = (stride, padding, dilation, groups)
    }

    /// This layer's trainable tensors by PyTorch's local names.
    public var ownParameters: [(name: String, tensor: Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    /// Convolves `x` `[B, Cin, L]` into `[B, Cout, L']`.
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try Functional.conv1d(x, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
    }
}

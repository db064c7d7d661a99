/// A neural-network building block: named parameters and buffers, child modules,
/// a training/evaluation mode, and a forward pass called like a function.
///
/// Names follow PyTorch's `state_dict` (`body.0.weight`, `lstm.weight_ih_l0`), so
/// saved weights map one-to-one onto a PyTorch module's.
public protocol Module: AnyObject {
    /// This module's own trainable tensors by local name (children's are listed by them).
    var ownParameters: [(name: String, tensor: Tensor)] { get }
    /// This module's own non-trainable state (running statistics) by local name.
    var ownBuffers: [(name: String, tensor: Tensor)] { get }
    /// Sub-modules by local name.
    var children: [(name: String, module: any Module)] { get }
    /// Whether the module behaves as in training (dropout on, batch statistics) or evaluation.
    var isTraining: Bool { get set }
    /// The forward pass.
    func callAsFunction(_ x: Tensor) throws -> Tensor
}

extension Module {
    /// This layer's trainable tensors by PyTorch's local names.
    public var ownParameters: [(name: String, tensor: Tensor)] { [] }
    /// This layer's running statistics by PyTorch's local names.
    public var ownBuffers: [(name: String, tensor: Tensor)] { [] }
    /// Sub-modules by PyTorch's local names.
    public var children: [(name: String, module: any Module)] { [] }

    /// Every trainable tensor in this module and its children, with dotted names.
    public func namedParameters(prefix: String = "") -> [(name: String, tensor: Tensor)] {
        ownParameters.map { (prefix + $0.name, $0.tensor) }
            + children.flatMap { $0.module.namedParameters(prefix: prefix + $0.name + ".") }
    }

    /// Every buffer in this module and its children, with dotted names.
    public func namedBuffers(prefix: String = "") -> [(name: String, tensor: Tensor)] {
        ownBuffers.map { (prefix + $0.name, $0.tensor) }
            + children.flatMap { $0.module.namedBuffers(prefix: prefix + $0.name + ".") }
    }

    /// The trainable tensors in a stable order.
    public var parameters: [Tensor] { namedParameters().map(\.tensor) }

    /// The total number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// Switches this module and all its children to training (`true`) or evaluation mode.
    public func setTraining(_ on: Bool) {
        isTraining = on
        for child in children { child.module.setTraining(on) }
    }

    /// Runs `body` the way inference runs: this module and its children in evaluation mode and libtorch in inference
    /// mode (no autograd bookkeeping). The module's earlier mode comes back afterwards, whether `body` returns or throws.
    public func evaluating<R>(_ body: () throws -> R) rethrows -> R {
        let wasTraining = isTraining
        setTraining(false)
        defer { setTraining(wasTraining) }
        return try withInferenceMode(body)
    }

    /// Parameters and buffers by dotted name, as PyTorch's `state_dict()`.
    /// The order is PyTorch's: each module's parameters, then its buffers, then its children's entries.
    public func stateDict() -> StateDict { StateDict(namedState()) }

    /// Parameters and buffers in PyTorch's `state_dict` order, with dotted names.
    func namedState(prefix: String = "") -> [(name: String, tensor: Tensor)] {
        (ownParameters + ownBuffers).map { (prefix + $0.name, $0.tensor) }
            + children.flatMap { $0.module.namedState(prefix: prefix + $0.name + ".") }
    }

    /// Copies values from `state` into this module's tensors in place (optimizers keep their references).
    /// - Throws: `TorchError` listing missing or unexpected names, or a shape mismatch, before anything is changed.
    public func loadState(_ state: StateDict, strict: Bool = true) throws {
        let own = namedState()
        let ownNames = Set(own.map(\.name))
        let missing = own.map(\.name).filter { state[$0] == nil }
        let unexpected = state.names.filter { !ownNames.contains($0) }
        if strict, !missing.isEmpty || !unexpected.isEmpty {
            var parts: [String] = []
            if !missing.isEmpty { parts.append("missing \(missing.joined(separator: ", "))") }
            if !unexpected.isEmpty { parts.append("unexpected \(unexpected.joined(separator: ", "))") }
            throw TorchError("state does not fit this model: " + parts.joined(separator: "; "))
        }
        for (name, tensor) in own {
            if let source = state[name], source.shape != tensor.shape {
                throw TorchError("'\(name)' has shape \(source.shape) in the state but \(tensor.shape) in the model")
            }
        }
        try withNoGrad {
            for (name, tensor) in own {
                if let source = state[name] { try tensor.assign(source) }
            }
        }
    }

    /// The floating-point type of this module's parameters (float32 when it has none): the type its input should
    /// have, as `convert(to:)` last set it.
    public var dtype: DType { parameters.first { $0.dtype.isFloatingPoint }?.dtype ?? .float32 }

    /// Converts every floating-point parameter and buffer to `dtype` in place (call before building an optimizer).
    public func convert(to dtype: DType) throws {
        for (_, tensor) in namedParameters() + namedBuffers() where tensor.dtype.isFloatingPoint {
            try tensor.setData(try tensor.detached().converted(to: dtype))
        }
    }

    /// Moves every parameter and buffer to `device` in place (call before building an optimizer).
    /// - Throws: `TorchError` when the device is not available (no CUDA in this libtorch or on this machine).
    public func move(to device: Device) throws {
        for (_, tensor) in namedParameters() + namedBuffers() {
            try tensor.setData(try tensor.detached().moved(to: device))
        }
    }

    /// Drops every parameter's gradient.
    public func clearGradients() throws {
        for p in parameters { try p.clearGrad() }
    }
}

/// Makes a trainable leaf tensor.
func parameter(_ tensor: Tensor) throws -> Tensor {
    try tensor.setRequiresGrad(true)
    return tensor
}

/// PyTorch's default initialisation of weights and biases of linear and convolution layers:
/// U(-1/√fan_in, 1/√fan_in) (kaiming-uniform with a = √5 gives the same bound for weights).
func defaultInitialized(shape: [Int], fanIn: Int) throws -> Tensor {
    let bound = fanIn > 0 ? 1 / Double(fanIn).squareRoot() : 0
    let tensor = try Tensor.zeros(shape)
    try tensor.uniformFill(-bound, bound)
    return try parameter(tensor)
}

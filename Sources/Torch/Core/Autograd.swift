import CTorch
import Glibc

extension Tensor {
    /// Whether autograd records operations on this tensor.
    public var requiresGrad: Bool { unfailing(ct_autograd_requires_grad(handle), "requires_grad") == 1 }

    /// The name of the autograd node that made this tensor (PyTorch's `grad_fn`, e.g. `ConvolutionBackward0`), or
    /// nil for a leaf or a tensor made without gradient recording.
    public var gradientFunctionName: String? {
        guard let raw = ct_autograd_grad_fn_name(handle) else { return nil }
        defer { free(raw) }
        let name = String(cString: raw)
        return name.isEmpty ? nil : name
    }

    /// Turns gradient recording for this (leaf) tensor on or off.
    public func setRequiresGrad(_ on: Bool) throws { try checked(ct_autograd_set_requires_grad(handle, on ? 1 : 0)) }

    /// The accumulated gradient, or nil when none has been computed.
    public var grad: Tensor? {
        var raw: ct_tensor?
        unfailing(ct_autograd_grad(handle, &raw), "grad")
        return raw.map(Tensor.init(owning:))
    }

    /// Drops the accumulated gradient (PyTorch's `zero_grad(set_to_none=True)`).
    public func clearGrad() throws { try checked(ct_autograd_clear_grad(handle)) }

    /// Back-propagates from this scalar (or with an explicit upstream `gradient`).
    public func backward(gradient: Tensor? = nil, retainGraph: Bool = false) throws {
        try checked(ct_autograd_backward(handle, gradient?.handle, retainGraph ? 1 : 0))
    }
}

/// Runs `body` with gradient recording off (PyTorch's `torch.no_grad()`).
public func withNoGrad<R>(_ body: () throws -> R) rethrows -> R {
    let previous = unfailing(ct_autograd_set_enabled(0), "set_grad_enabled")
    defer { unfailing(ct_autograd_set_enabled(previous), "set_grad_enabled") }
    return try body()
}

/// Runs `body` in inference mode: no autograd bookkeeping at all, fastest for evaluation.
/// Tensors made inside cannot later take part in autograd.
public func withInferenceMode<R>(_ body: () throws -> R) rethrows -> R {
    let guardHandle = unfailingPointer(ct_inference_mode_enter(), "inference_mode enter")
    defer { unfailing(ct_inference_mode_exit(guardHandle), "inference_mode exit") }
    return try body()
}

/// Whether operations on this thread are recorded for autograd.
public var isGradEnabled: Bool { unfailing(ct_autograd_is_enabled(), "is_grad_enabled") == 1 }

extension Tensor {
    /// Makes this tensor hold `source`'s values, dtype and device while staying the same (leaf) tensor,
    /// as Python's `param.data = source`; how modules change dtype or device in place.
    public func setData(_ source: Tensor) throws { try checked(ct_tensor_set_data(handle, source.handle)) }
}

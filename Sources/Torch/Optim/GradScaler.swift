/// Dynamic loss scaling for float16 training (PyTorch's `torch.cuda.amp.GradScaler`): the loss is multiplied by
/// `scale` before backward so small gradients survive float16; gradients are divided back before the step, a step
/// whose gradients overflowed (inf/NaN) is skipped and the scale backed off, and after `growthInterval` clean
/// steps the scale grows.
///
/// Use per iteration: `try scaler.scaled(loss).backward()`, optionally `try scaler.unscale(optimizer)` then clip,
/// `try scaler.step(optimizer)`, `scaler.update()`.
public final class GradScaler {
    /// The current loss multiplier.
    public private(set) var scale: Double
    /// The factor applied after `growthInterval` steps without overflow.
    public let growthFactor: Double
    /// The factor applied after an overflow.
    public let backoffFactor: Double
    /// Clean steps between growths.
    public let growthInterval: Int
    /// When false every method passes through (scale 1, steps always taken).
    public let isEnabled: Bool
    private var cleanSteps = 0
    private var unscaledThisStep = false
    private var overflowThisStep = false

    /// A scaler with PyTorch's defaults unless given.
    public init(initialScale: Double = 65536, growthFactor: Double = 2, backoffFactor: Double = 0.5, growthInterval: Int = 2000,
                enabled: Bool = true) throws {
        guard initialScale > 0, growthFactor > 1, backoffFactor > 0, backoffFactor < 1, growthInterval > 0 else {
            throw TorchError("GradScaler: needs scale > 0, growth factor > 1, 0 < backoff factor < 1 and a positive interval")
        }
        (self.scale, self.growthFactor, self.backoffFactor, self.growthInterval) = (initialScale, growthFactor, backoffFactor, growthInterval)
        isEnabled = enabled
    }

    /// `loss × scale` (the loss itself when disabled).
    public func scaled(_ loss: Tensor) throws -> Tensor { isEnabled ? try loss * scale : loss }

    /// Divides `optimizer`'s gradients by the scale in place (once per step) and records whether any is inf or NaN.
    public func unscale(_ optimizer: any Optimizer) throws {
        guard isEnabled, !unscaledThisStep else { return }
        unscaledThisStep = true
        try withNoGrad {
            for g in optimizer.parameters.compactMap(\.grad) {
                try g.multiply(by: 1 / scale)
                if try !g.isFinite().all() { overflowThisStep = true }
            }
        }
    }

    /// Unscales if not done yet, then steps `optimizer` unless a gradient overflowed.
    /// - Returns: whether the optimizer stepped.
    @discardableResult
    public func step(_ optimizer: any Optimizer) throws -> Bool {
        try unscale(optimizer)
        guard !overflowThisStep else { return false }
        try optimizer.step()
        return true
    }

    /// Backs the scale off after an overflow, or grows it after `growthInterval` clean steps; ends the step.
    public func update() {
        guard isEnabled else { return }
        if overflowThisStep {
            scale *= backoffFactor
            cleanSteps = 0
        } else {
            cleanSteps += 1
            if cleanSteps == growthInterval {
                scale *= growthFactor
                cleanSteps = 0
            }
        }
        unscaledThisStep = false
        overflowThisStep = false
    }

    /// The scale and growth tracker (PyTorch's `scale` and `_growth_tracker`).
    public func stateDict() throws -> StateDict {
        StateDict([("scale", try Tensor(scalar: scale, dtype: .float64)),
                   ("growth_tracker", try Tensor(scalar: Double(cleanSteps), dtype: .int64))])
    }

    /// Restores `stateDict()`'s values.
    /// - Throws: `TorchError` when an entry is missing or the scale is not positive.
    public func loadState(_ state: StateDict) throws {
        guard let scaleTensor = state["scale"], let tracker = state["growth_tracker"] else {
            throw TorchError("GradScaler state needs 'scale' and 'growth_tracker', got \(state.names)")
        }
        let newScale = try scaleTensor.item()
        guard newScale > 0, newScale.isFinite else { throw TorchError("GradScaler state has scale \(newScale)") }
        (scale, cleanSteps) = (newScale, Int(try tracker.item()))
    }
}

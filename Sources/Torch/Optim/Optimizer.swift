/// Updates parameters from their gradients. The learning rate can change between steps.
public protocol Optimizer: AnyObject {
    /// The parameters being optimised, in a fixed order.
    var parameters: [Tensor] { get }
    /// The current learning rate.
    var learningRate: Double { get set }
    /// One update from the current gradients (parameters without a gradient are skipped).
    func step() throws
    /// The optimizer's state (moments, step counts) as tensors named `state.I.NAME` and `param_groups.0.KEY`.
    func stateDict() throws -> StateDict
    /// Restores state from `stateDict()`.
    func loadState(_ state: StateDict) throws
}

extension Optimizer {
    /// Drops every parameter's gradient.
    public func zeroGrad() throws {
        for p in parameters { try p.clearGrad() }
    }
}

/// An error HARKit throws for its own reasons (a dataset, model spec, model input, search, checkpoint, run store,
/// report or benchmark that does not fit), as opposed to a `TorchError` from libtorch: a message a person can act
/// on, which is also its description.
///
/// Each kind stays a type of its own (`DatasetError`, `CheckpointError`, …) because callers catch kinds separately:
/// the shell points at a different word for each.
public protocol HARKitError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, naming the file, key, value or run.
    var message: String { get }
}

extension HARKitError {
    public var description: String { message }
}

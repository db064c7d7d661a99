import CTorch

/// A failure reported by libtorch (a bad shape, dtype or index) or by the Torch layer itself.
public struct TorchError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A message a person can act on.
    public let message: String

    /// Creates an error with the given message.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

// Reading CTorch's error slot. A CTorch call that fails returns a sentinel (NULL, -1) and leaves its message in a
// thread-local slot; `takeTorchError()` is the one reader of that slot (it frees the C string), and every call site
// goes through it via `checked` (calls that can fail on bad input: they throw) or `unfailing` (queries that cannot
// fail on a live handle: a failure there is a bug in CTorch, and the process stops with libtorch's message).

/// Takes this thread's pending CTorch message, freeing the C string; nil when there is none.
func takeTorchError() -> TorchError? {
    guard let raw = ct_error_take() else { return nil }
    defer { free(raw) }
    return TorchError(cleaned(String(cString: raw)))
}

/// The error of a call that returned its failure sentinel: libtorch's message, or `fallback` when it left none.
private func failure(_ fallback: String) -> TorchError { takeTorchError() ?? TorchError(fallback) }

/// Wraps a newly returned handle, or throws libtorch's message when the call failed.
@inline(__always)
func checked(_ handle: ct_tensor?) throws -> Tensor {
    guard let handle else { throw failure("libtorch returned no tensor and no message") }
    return Tensor(owning: handle)
}

/// A non-NULL pointer (handle, buffer) a call returned, or the call's error.
@inline(__always)
func checkedPointer<Pointer>(_ pointer: Pointer?) throws -> Pointer {
    guard let pointer else { throw failure("libtorch returned nothing and no message") }
    return pointer
}

/// The status or count a call returned, or its error when that is negative.
@inline(__always) @discardableResult
func checked(_ status: Int32) throws -> Int32 {
    if status < 0 { throw failure("libtorch call failed without a message") }
    return status
}

/// The value of a query that cannot fail on a live handle (shape, dtype, grad mode, ...): stops the process with
/// libtorch's message when it did fail, rather than returning a made-up value.
@inline(__always) @discardableResult
func unfailing<Status: SignedInteger>(_ status: Status, _ what: @autoclosure () -> String) -> Status {
    if status < 0 { fatalError("CTorch \(what()) failed: \(failure("no message").message)") }
    return status
}

/// The non-NULL pointer an infallible call returned; see `unfailing(_:_:)`.
@inline(__always)
func unfailingPointer<Pointer>(_ pointer: Pointer?, _ what: @autoclosure () -> String) -> Pointer {
    guard let pointer else { fatalError("CTorch \(what()) failed: \(failure("no message").message)") }
    return pointer
}

/// libtorch messages can end in internal source locations; keep the first, human part.
private func cleaned(_ message: String) -> String {
    let lines = message.split(separator: "\n", omittingEmptySubsequences: true)
    let kept = lines.filter { !$0.hasPrefix("Exception raised from") && !$0.hasPrefix("frame #") }
    return kept.joined(separator: "\n").trimmingCharacters(in: .whitespaces)
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

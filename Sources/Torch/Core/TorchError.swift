import CTorch

/// A failure reported by libtorch (a bad shape, dtype or index) or by the Torch layer itself.
public struct TorchError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A message a person can act on.
    public let message: String

    /// Creates an error with the given message.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// Throws the pending libtorch error of this thread, if any.
@inline(__always)
func throwPendingError() throws {
    if let raw = ct_error_take() {
        defer { free(raw) }
        throw TorchError(cleaned(String(cString: raw)))
    }
}

/// Wraps a newly returned handle, or throws libtorch's message when the call failed.
@inline(__always)
func checked(_ handle: ct_tensor?) throws -> Tensor {
    guard let handle else {
        try throwPendingError()
        throw TorchError("libtorch returned no tensor and no message")
    }
    return Tensor(owning: handle)
}

/// Throws when a status-returning call failed.
@inline(__always)
func checked(_ status: Int32) throws {
    if status < 0 {
        try throwPendingError()
        throw TorchError("libtorch call failed without a message")
    }
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

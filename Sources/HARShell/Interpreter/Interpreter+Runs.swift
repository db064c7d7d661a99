import Foundation
import HARKit

/// What the run commands (Commands/Inspect: runs, compare, report, export) share: they read the run store
/// (every session's runs) when there is one, else this session's runs.
extension Interpreter {
    /// `body`'s value, a run-store error becoming a shell error.
    func storeCall<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as RunStoreError { throw ShellError(error.message) }
    }
}

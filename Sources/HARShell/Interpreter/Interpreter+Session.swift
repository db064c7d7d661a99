import Foundation
import HARKit

/// What the session commands (Commands/Session) share with others: the settings as JSON (`status`, `tune`).
extension Interpreter {
    /// Every setting as a JSON object, keys as `set` names them.
    func configJSON(_ config: TrainingConfig) -> JSONValue {
        .object(ConfigKey.all.map { ($0.name, .string($0.read(config))) })
    }
}

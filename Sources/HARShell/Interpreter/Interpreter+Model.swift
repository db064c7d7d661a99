import HARKit

/// What the commands that need a model share: the current model, and where a model-spec word was written.
extension Interpreter {
    /// The current model, or an error saying how to get one.
    func currentModel(for arguments: Arguments) throws -> any HARModel {
        guard let model = session.model else {
            throw ShellError("no model yet: build one with 'model SPEC' (e.g. 'model sa') after 'load'", at: arguments.command.offset)
        }
        return model
    }

    /// The offset of the argument whose value or key is `word`, if any.
    func position(of word: String, in arguments: Arguments) -> Int? {
        let lowered = word.lowercased()
        for argument in arguments.command.arguments {
            if argument.value.lowercased() == lowered || argument.key?.lowercased() == lowered { return argument.offset }
            if argument.isPositional, let range = argument.value.lowercased().range(of: lowered) {
                return argument.offset + argument.value.distance(from: argument.value.startIndex, to: range.lowerBound)
            }
        }
        return nil
    }
}

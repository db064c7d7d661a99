/// Model commands: model, summary.
extension Interpreter {
    func model(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectPositionals(1)
        try arguments.expectOptions(Vocabulary.modelOptions)
        _ = try arguments.expectKeyword(try arguments.required(0, "model SPEC"), among: Vocabulary.models, kind: "model")
        throw unavailable(arguments, needs: "HARKit's model factory (ModelSpec)")
    }

    func summary(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectPositionals(0)
        try arguments.expectOptions([])
        throw unavailable(arguments, needs: "HARKit's model summary")
    }
}

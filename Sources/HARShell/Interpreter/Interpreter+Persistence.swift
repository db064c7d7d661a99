/// Persistence commands: save model, load model.
extension Interpreter {
    func save(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectOptions([])
        _ = try arguments.expectKeyword(try arguments.required(0, "'model'"), among: ["model"], kind: "thing to save")
        _ = try arguments.required(1, "FILE")
        try arguments.expectPositionals(2)
        throw unavailable(arguments, needs: "a built model and HARKit's checkpoints")
    }

    func loadModel(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectOptions([])
        _ = try arguments.required(1, "FILE")
        try arguments.expectPositionals(2)
        throw unavailable(arguments, needs: "HARKit's checkpoints")
    }
}

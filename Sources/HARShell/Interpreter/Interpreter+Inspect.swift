/// Inspection commands: inspect, plot.
extension Interpreter {
    func inspect(_ arguments: Arguments) throws -> CommandResult {
        let what = try arguments.expectKeyword(try arguments.required(0, "what to inspect"), among: arguments.spec.keywords,
                                               kind: "inspect target")
        try arguments.expectOptions(what == "attention" ? ["sample", "class", "layer"] : [])
        try arguments.expectPositionals(what == "predictions" ? 2 : 1)
        throw unavailable(arguments, needs: what == "attention" ? "HARKit's attention maps" : "a trained model and its run (HARKit's Trainer)")
    }

    func plot(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectOptions([])
        _ = try arguments.expectKeyword(try arguments.required(0, "what to plot"), among: arguments.spec.keywords, kind: "plot")
        try expectDestination(arguments, after: 1)
        throw unavailable(arguments, needs: "a trained model and its run (HARKit's Trainer)")
    }

    /// Checks the optional `to FILE` at positional `index`.
    func expectDestination(_ arguments: Arguments, after index: Int) throws {
        guard let word = arguments.positional(index) else { return }
        guard !word.quoted, word.value == "to" else {
            throw ShellError("unexpected argument '\(word.value)' — usage: \(arguments.spec.usage)", at: word.offset)
        }
        _ = try arguments.required(index + 1, "FILE after 'to'")
        try arguments.expectPositionals(index + 2)
    }
}

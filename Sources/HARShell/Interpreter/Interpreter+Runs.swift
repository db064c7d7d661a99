/// Run-store commands: runs, compare, report, export.
extension Interpreter {
    func runs(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectPositionals(0)
        try arguments.expectOptions([])
        throw unavailable(arguments, needs: "HARKit's run store (Runs)")
    }

    func compare(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectOptions([])
        for run in arguments.positionals { _ = try arguments.integer(run, "run id", in: 1...Int.max) }
        throw unavailable(arguments, needs: "HARKit's run store (Runs)")
    }

    func report(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectOptions([])
        try expectDestination(arguments, after: 0)
        throw unavailable(arguments, needs: "HARKit's reports (Runs)")
    }

    func export(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectOptions([])
        _ = try arguments.expectKeyword(try arguments.required(0, "format"), among: arguments.spec.keywords, kind: "export format")
        _ = try arguments.required(1, "FILE")
        try arguments.expectPositionals(2)
        throw unavailable(arguments, needs: "HARKit's run store (Runs)")
    }
}

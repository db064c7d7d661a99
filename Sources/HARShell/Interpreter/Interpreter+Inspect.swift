import HARKit
import Torch

/// Inspection commands: inspect, plot.
extension Interpreter {
    /// `inspect weights`: each parameter tensor's shape and value statistics.
    func inspectWeights(_ arguments: Arguments) throws -> CommandResult {
        let model = try currentModel(for: arguments)
        var rows: [[String]] = []
        var entries: [JSONValue] = []
        for (name, tensor) in model.namedParameters() {
            let values = try withNoGrad { () -> [Double] in
                [try tensor.mean().item(), try tensor.standardDeviation(unbiased: false).item(),
                 try tensor.min().item(), try tensor.max().item()]
            }
            rows.append([name, tensor.shape.map(String.init).joined(separator: "×"), grouped(tensor.count)]
                        + values.map { String(format: "%.4f", $0) })
            entries.append(.object([("name", .string(name)), ("shape", .array(tensor.shape.map { .int($0) })),
                                    ("count", .int(tensor.count)), ("mean", .double(values[0])), ("std", .double(values[1])),
                                    ("min", .double(values[2])), ("max", .double(values[3]))]))
        }
        let table = TextTable(header: ["parameter", "shape", "count", "mean", "std", "min", "max"], rows: rows,
                              alignments: [.left, .left, .right, .right, .right, .right, .right])
        for line in table.render() { output.text(line) }
        return CommandResult(command: "inspect", fields: [("target", .string("weights")), ("parameters", .array(entries))])
    }

    func inspect(_ arguments: Arguments) throws -> CommandResult {
        let what = try arguments.expectKeyword(try arguments.required(0, "what to inspect"), among: arguments.spec.keywords,
                                               kind: "inspect target")
        try arguments.expectOptions(what == "attention" ? ["sample", "class", "layer"] : [])
        try arguments.expectPositionals(what == "predictions" ? 2 : 1)
        if what == "weights" { return try inspectWeights(arguments) }
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

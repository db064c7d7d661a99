import Foundation
import HARKit

/// Session commands: help, status, reset, run, record, history.
extension Interpreter {
    func help(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectPositionals(1)
        try arguments.expectOptions([])
        guard let topic = arguments.positional(0) else {
            for family in CommandSpec.Family.allCases {
                output.text("\(family.rawValue):")
                for spec in CommandTable.all where spec.family == family {
                    output.text("  " + spec.name.padding(toLength: 10, withPad: " ", startingAt: 0) + spec.summary)
                }
            }
            output.text("Type 'help COMMAND' or '?COMMAND' for usage and examples.")
            return CommandResult(command: "help", fields: [("commands", .array(CommandTable.all.map { .string($0.name) }))])
        }
        guard let spec = CommandTable.spec(named: topic.value) else {
            throw ShellError(Suggestion.unknown("command", topic.value, among: CommandTable.words), at: topic.offset)
        }
        output.text("usage: \(spec.usage)")
        output.text("  \(spec.summary)")
        for line in spec.details { output.text("  \(line)") }
        if !spec.aliases.isEmpty { output.text("  also: \(spec.aliases.joined(separator: ", "))") }
        if !spec.examples.isEmpty {
            output.text("examples:")
            for example in spec.examples { output.text("  \(example)") }
        }
        return CommandResult(command: "help", fields: [
            ("topic", .string(spec.name)), ("usage", .string(spec.usage)), ("summary", .string(spec.summary)),
            ("examples", .array(spec.examples.map { .string($0) })),
        ])
    }

    func status(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectPositionals(0)
        try arguments.expectOptions([])
        let config = session.config
        let optimizer = "\(config.optimizer.rawValue) lr \(ConfigKey.named("lr")!.read(config)) wd \(ConfigKey.named("wd")!.read(config))"
            + ", schedule \(config.schedule.rawValue)" + (session.trainer == nil ? "" : " (live)")
        let dataset = session.dataset.map { "\($0.name): \($0.count) windows of \($0.windowLength)×\($0.channelCount), \($0.classNames.count) classes" }
        let model = session.model.map { "\($0.spec): \($0.parameterCount) parameters" }
        let run = session.runs.last.map { run in
            "#\(run.id) \(run.model) on \(run.dataset), \(run.epochs.count) epochs"
                + (run.evaluation.map { ", \($0.split) accuracy \(TrainingView.fixed($0.metrics.accuracy * 100, 2))%" } ?? "")
        }
        output.text("dataset    \(dataset ?? "none loaded")")
        output.text("model      \(model ?? "none built")")
        output.text("augment    \(session.augmentation?.description ?? "off")")
        output.text("optimizer  \(optimizer)")
        output.text("config     batch \(config.batchSize), epochs \(config.epochs), seed \(config.seed)")
        output.text("threads    \(threadBudget?.description ?? "\(ThreadBudget.inEffect) (libtorch's own choice)")")
        output.text("last run   \(run ?? "none")")
        if let recording = session.recording { output.text("recording  \(recording.path)") }
        return CommandResult(command: "status", fields: [
            ("dataset", session.dataset.map { .string($0.name) } ?? .null),
            ("model", session.model.map { .string($0.spec.description) } ?? .null),
            ("augmentation", session.augmentation.map { .string($0.description) } ?? .null),
            ("optimizer", .string(optimizer)), ("config", configJSON(config)),
            ("run", session.runs.last?.json ?? .null),
            ("recording", session.recording.map { .string($0.path) } ?? .null),
            ("threads", .int(threadBudget?.count ?? ThreadBudget.inEffect)),
        ])
    }

    func reset(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectPositionals(1)
        try arguments.expectOptions([])
        let scope = try arguments.positional(0).map { try arguments.expectKeyword($0, among: arguments.spec.keywords, kind: "reset scope") } ?? "all"
        switch scope {
        case "all":
            var fresh = Session()
            fresh.history = session.history
            fresh.recording = session.recording
            session = fresh
            output.text("session reset: no dataset, no model, no runs, settings back to defaults")
        case "data":
            session.dropModel()
            session.dataset = nil
            session.datasets = [:]
            output.text("datasets and model dropped")
        default:
            session.dropModel()
            output.text("model dropped")
        }
        return CommandResult(command: "reset", fields: [("scope", .string(scope))])
    }

    func runScript(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectPositionals(1)
        try arguments.expectOptions([])
        let argument = try arguments.required(0, "script file")
        let url = resolve(argument.value)
        let text: String
        do { text = try ScriptFile.read(url) } catch let error as ShellError { throw ShellError(error.message, at: argument.offset) }
        guard scriptDepth < maximumScriptDepth else {
            throw ShellError("scripts nested more than \(maximumScriptDepth) deep (does '\(argument.value)' run itself?)", at: argument.offset)
        }
        scriptDepth += 1
        defer { scriptDepth -= 1 }
        let outcome = executeScript(text, name: argument.value)
        if outcome == .failure {
            throw ShellError("script '\(argument.value)' stopped at its first error", at: argument.offset)
        }
        return CommandResult(command: "run", fields: [("script", .string(argument.value))])
    }

    func record(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectPositionals(1)
        try arguments.expectOptions([])
        let argument = try arguments.required(0, "FILE or off")
        if !argument.quoted, argument.value == "off" {
            guard let target = session.recording else { throw ShellError("not recording", at: argument.offset) }
            session.recording = nil
            output.text("recording to \(target.path) stopped")
            return CommandResult(command: "record", fields: [("file", .null)])
        }
        let url = resolve(argument.value)
        let stamp = ISO8601DateFormatter().string(from: Date())
        do {
            try ScriptFile.append("# recorded by har \(HARKit.version) on \(stamp)\n", to: url)
        } catch let error as ShellError {
            throw ShellError(error.message, at: argument.offset)
        }
        session.recording = url
        output.text("recording successful commands to \(url.path)")
        return CommandResult(command: "record", fields: [("file", .string(url.path))])
    }

    func history(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectOptions([])
        if let first = arguments.positional(0), !first.quoted, first.value == "save" {
            try arguments.expectPositionals(2)
            let file = try arguments.required(1, "FILE")
            let lines = session.history.filter { $0.succeeded && $0.replayable }.map(\.command)
            let stamp = ISO8601DateFormatter().string(from: Date())
            let text = (["# har \(HARKit.version) session history, saved \(stamp)"] + lines).joined(separator: "\n") + "\n"
            do { try ScriptFile.write(text, to: resolve(file.value)) } catch let error as ShellError {
                throw ShellError(error.message, at: file.offset)
            }
            output.text("wrote \(lines.count) command\(lines.count == 1 ? "" : "s") to \(file.value)")
            return CommandResult(command: "history", fields: [("file", .string(file.value)), ("commands", .int(lines.count))])
        }
        try arguments.expectPositionals(1)
        let count = try arguments.positional(0).map { try arguments.integer($0, "count", in: 1...Int.max) } ?? 20
        let entries = Array(session.history.enumerated().suffix(count))
        for (index, entry) in entries {
            let mark = entry.succeeded ? " " : "!"
            let number = String(index + 1)
            output.text(String(repeating: " ", count: max(0, 5 - number.count)) + number + mark + " " + entry.command)
        }
        return CommandResult(command: "history", fields: [
            ("history", .array(entries.map { .object([("index", .int($0.offset + 1)), ("command", .string($0.element.command)),
                                                      ("ok", .bool($0.element.succeeded))]) })),
        ])
    }

    /// Every setting as a JSON object, keys as `set` names them.
    func configJSON(_ config: TrainingConfig) -> JSONValue {
        .object(ConfigKey.all.map { ($0.name, .string($0.read(config))) })
    }
}

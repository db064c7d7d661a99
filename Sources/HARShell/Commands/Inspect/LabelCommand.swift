import HARKit

/// `label RUN TEXT`: sets the label column of a run (in the run store when there is one, else in this session).
struct LabelCommand: ShellCommand {
    static let spec = CommandSpec("label", family: .inspect, usage: "label RUN TEXT",
                                  summary: "set a run's label (shown by runs, compare, export and the report); \"\" clears it",
                                  examples: ["label 3 baseline", "label #7 \"dropout 0.2, jitter\""], positionals: nil,
                                  replayable: false)

    /// The run labelled and its new label.
    struct Labelled: CommandOutput {
        /// The run's id (in the store, or in this session).
        var run: Int
        /// The new label; nil when it was cleared.
        var label: String?

        /// "run 3: label 'baseline'".
        func lines(in layout: TextLayout) -> [String] { ["run \(run): " + (label.map { "label '\($0)'" } ?? "label cleared")] }

        /// `run`, `label` (null when cleared).
        var result: CommandResult {
            CommandResult(command: "label", fields: [("run", .int(run)), ("label", label.map(JSONValue.string) ?? .null)])
        }
    }

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> Labelled {
        let runArgument = try arguments.required(0, "RUN")
        let id = try arguments.runID(runArgument)
        _ = try arguments.required(1, "TEXT")
        let text = arguments.positionals.dropFirst().map(\.value).joined(separator: " ")
        let label = text.isEmpty ? nil : text
        if let store = shell.runStore {
            do { try store.setLabel(of: Int64(id), to: label) } catch let error as RunStoreError {
                throw ShellError(error.message, at: runArgument.offset)
            }
        } else {
            guard let index = shell.session.runs.firstIndex(where: { $0.id == id }) else {
                throw ShellError("no run #\(id) in this session (runs: \(shell.session.runs.map { "#\($0.id)" }.joined(separator: " ")))",
                                 at: runArgument.offset)
            }
            shell.session.runs[index].label = label
        }
        return Labelled(run: id, label: label)
    }
}

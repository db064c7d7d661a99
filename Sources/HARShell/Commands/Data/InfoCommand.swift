import HARKit

/// `info`: shapes, sample rate, channels, classes with counts per split, subjects per split.
struct InfoCommand: ShellCommand {
    static let spec = CommandSpec("info", family: .data, usage: "info",
                                  summary: "shapes, sample rate, channel names, classes with counts per split, subjects per split",
                                  examples: ["info"], replayable: false)

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> CommandResult { try shell.info(arguments) }
}

private extension Interpreter {
    func info(_ arguments: Arguments) throws -> CommandResult {
        let dataset = try currentDataset(for: arguments)
        output.text("dataset   \(dataset.name): \(dataset.count) windows, \(dataset.windowLength) steps × \(dataset.channelCount) channels "
                    + "at \(TrainingView.fixed(dataset.sampleRate, 1)) Hz")
        output.text("protocol  \(dataset.protocolDescription.summary)")
        output.text("channels  \(dataset.channelNames.joined(separator: " "))")
        let splits = DatasetSplit.allCases
        let rows = dataset.classNames.enumerated().map { index, name in
            [name] + splits.map { String(dataset.classCounts(in: $0)[index]) }
        }
        for line in TextTable(header: ["class"] + splits.map(\.rawValue), rows: rows,
                              alignments: [.left] + splits.map { _ in .right }).render() {
            output.text(line)
        }
        for split in splits {
            output.text("\(split.rawValue) subjects: \(dataset.subjects(in: split).map(String.init).joined(separator: " "))")
        }
        output.text(DatasetView.validationLine(dataset))
        var fields: [(String, JSONValue)] = [
            ("dataset", .string(dataset.name)), ("window", .int(dataset.windowLength)),
            ("channels", .array(dataset.channelNames.map { .string($0) })),
            ("classes", .array(dataset.classNames.map { .string($0) })), ("rate_hz", .double(dataset.sampleRate)),
        ]
        for split in splits {
            fields.append((split == .validation ? "val" : split.rawValue, .object([
                ("windows", .int(dataset.indices(in: split).count)),
                ("subjects", .array(dataset.subjects(in: split).map { .int($0) })),
                ("class_counts", .array(dataset.classCounts(in: split).map { .int($0) })),
            ])))
        }
        return CommandResult(command: "info", fields: fields)
    }
}

import HARKit

/// `info`: shapes, sample rate, channels, classes with counts per split, subjects per split.
struct InfoCommand: ShellCommand {
    static let spec = CommandSpec("info", family: .data, usage: "info",
                                  summary: "shapes, sample rate, channel names, classes with counts per split, subjects per split",
                                  examples: ["info"], replayable: false)

    /// The loaded dataset described.
    struct Description: CommandOutput {
        /// The dataset.
        var dataset: HARDataset

        /// Shapes and rate, protocol, channels, a table of class counts per split, subjects per split, what validation holds out.
        func lines(in layout: TextLayout) -> [String] {
            let splits = DatasetSplit.allCases
            let rows = dataset.classNames.enumerated().map { index, name in
                [name] + splits.map { String(dataset.classCounts(in: $0)[index]) }
            }
            return ["dataset   \(dataset.name): \(counted(dataset.count, "window")), \(counted(dataset.windowLength, "step")) × \(counted(dataset.channelCount, "channel")) "
                    + "at \(TrainingView.fixed(dataset.sampleRate, 1)) Hz",
                    "protocol  \(dataset.protocolDescription.summary)",
                    "channels  \(dataset.channelNames.joined(separator: " "))"]
                + TextTable(header: ["class"] + splits.map(\.rawValue), rows: rows, alignments: [.left] + splits.map { _ in .right }).render(width: layout.width)
                + splits.map { "\($0.rawValue) subjects: \(dataset.subjects(in: $0).map(String.init).joined(separator: " "))" }
                + [DatasetView.validationLine(dataset)]
        }

        /// `dataset`, `window`, `channels`, `classes` (names), `channel_count`, `class_count`, `rate_hz`, and per split
        /// `windows`, `subjects`, `class_counts`.
        var result: CommandResult {
            let splits = DatasetSplit.allCases
            var fields: [(String, JSONValue)] = [
                ("dataset", .string(dataset.name)), ("window", .int(dataset.windowLength)),
                ("channels", .array(dataset.channelNames.map { .string($0) })),
                ("classes", .array(dataset.classNames.map { .string($0) })), ("channel_count", .int(dataset.channelCount)),
                ("class_count", .int(dataset.classNames.count)), ("rate_hz", .double(dataset.sampleRate)),
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

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> Description { Description(dataset: try shell.currentDataset(for: arguments)) }
}

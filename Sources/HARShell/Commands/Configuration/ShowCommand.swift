import HARKit

/// `show [KEY]`: every setting with value, default and meaning.
struct ShowCommand: ShellCommand {
    static let spec = CommandSpec("show", family: .configuration, usage: "show [KEY]",
                                  summary: "every setting with value, default and a one-line meaning",
                                  examples: ["show", "show lr"], keywords: ConfigKey.all.map(\.name), positionals: 1,
                                  completions: [.settings], replayable: false)

    /// The settings shown, with their values in one configuration.
    struct Settings: CommandOutput {
        /// The keys shown, in `show`'s order.
        var keys: [ConfigKey]
        /// The configuration their values are read from.
        var config: TrainingConfig
        /// What `amp` resolves to on this machine, when `amp` is among the keys shown.
        var precision: PrecisionChoice?
        /// Which `recipe` the settings and augmentation follow (`custom` when none), when every key is shown.
        var recipe: String?
        /// The session's workers (`set workers N`), when every key is shown.
        var workers: WorkersStatus?

        /// A table of key, value (`*` when changed), default, values and meaning.
        func lines(in layout: TextLayout) -> [String] {
            let rows = keys.map { key -> [String] in
                let value = key.read(config)
                return [key.name, value + (value == key.defaultValue ? "" : " *"), key.defaultValue, key.domain, key.meaning]
            }
            return TextTable(header: ["key", "value", "default", "values", "meaning"], rows: rows).render(width: layout.width)
                + (keys.count > 1 ? ["* changed from the default"] : [])
                + (recipe.map { ["recipe: \($0) (`recipe` lists what it sets)"] } ?? [])
                + (workers.map { ["workers: \($0.line)"] } ?? [])
                + (precision.map { choice in
                    let line = "amp: training computes in \(choice.precision.rawValue) (\(choice.reason))"
                    return layout.width.map { TextTable.wrap(line, to: $0) } ?? [line]
                } ?? [])
        }

        /// `settings`: one object per key; with every key shown, `recipe` and `workers`, `worker_address`, `worker_pids`; with `amp` shown, `train_precision` and `train_precision_reason` (what it resolves to here, and why).
        var result: CommandResult {
            CommandResult(command: "show", fields: [
                ("settings", .array(keys.map { key in
                    .object([("key", .string(key.name)), ("value", .string(key.read(config))),
                             ("default", .string(key.defaultValue)), ("values", .string(key.domain)),
                             ("meaning", .string(key.meaning))])
                })),
            ] + (recipe.map { [("recipe", .string($0))] } ?? []) + (workers?.fields ?? []) + (precision.map { [("train_precision", .string($0.precision.rawValue)), ("train_precision_reason", .string($0.reason))] } ?? []))
        }
    }

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> Settings {
        var keys = ConfigKey.all
        if let argument = arguments.positional(0) {
            guard let key = ConfigKey.named(argument.value) else {
                throw ShellError(Suggestion.unknown("setting", argument.value, among: keys.map(\.name)), at: argument.offset)
            }
            keys = [key]
        }
        let config = shell.session.config
        let precision = keys.contains { $0.name == "amp" } ? PrecisionChoice.onThisMachine(config.mixedPrecision) : nil
        var settings = Settings(keys: keys, config: config, precision: precision)
        if keys.count > 1 {
            settings.recipe = TrainingRecipe.matching(config, augmentation: shell.session.augmentation)?.rawValue ?? "custom"
            settings.workers = WorkersStatus(shell)
        }
        return settings
    }
}

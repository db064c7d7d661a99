import Foundation
import HARKit

/// `set KEY VALUE`: changes a training setting, the live optimizer's too.
struct SetCommand: ShellCommand {
    static let spec = CommandSpec("set", family: .configuration, usage: "set KEY VALUE | set schedule KIND warmup=N | set workers N [listen=HOST:PORT] [wait=S]",
                                  summary: "change a training setting; takes effect at once unless it says when",
                                  details: ["`set KEY default` restores the default. `show` lists every key with its meaning.",
                                            "`set tensorboard DIR` logs every later run of train, tune and cv for TensorBoard (scalars per epoch, hyperparameters), a folder per run; `set tensorboard off` stops.",
                                            "`set workers N` makes this session rank 0 of an N-rank job: it starts N-1 `har worker` processes here, and train, cv and tune run on every rank; `set workers 1` stops them. listen=HOST:PORT waits (wait=S seconds, default 120) for workers started by hand on other machines with `har worker --join HOST:PORT`."],
                                  examples: ["set lr 1e-3", "set batch 64", "set optimizer sgd", "set schedule cosine", "set schedule cosine warmup=2", "set clip off"],
                                  keywords: ConfigKey.all.map(\.name) + ["workers"], positionals: 2, completions: [.settings, .settingValues],
                                  forms: ["schedule": ArgumentForm(positionals: 2, options: [OptionSpec("warmup", .integer(0...100_000, orWords: ["off"]))],
                                                                   completions: [.settings, .settingValues]),
                                           "workers": ArgumentForm(positionals: 2, options: [OptionSpec("listen"), OptionSpec("wait", .integer(1...86_400))])])

    /// What `set` did: the key, its value now and before.
    struct Change: CommandOutput {
        /// The setting's name.
        var key: String
        /// Its value now, as `show` writes it.
        var value: String
        /// Its value before.
        var previous: String
        /// The threads libtorch computes with now (`set threads`), and the usable cores they are measured against.
        var threads: (budget: ThreadBudget, cores: ThreadBudget)?
        /// When the setting takes effect, where that is not at once (`SettingAdvice.note`).
        var note: String?
        /// Why the value is almost surely a mistake, if it is (`SettingAdvice.warning`).
        var mistake: String?
        /// `set schedule KIND warmup=N`'s warm-up: its value now and before.
        var warmup: (value: String, previous: String)?

        /// `lr = 0.001 (was 0.0005)`, or `(unchanged)`; for `threads`, the threads libtorch now computes with.
        func lines(in layout: TextLayout) -> [String] {
            ["\(key) = \(value)" + (previous == value ? " (unchanged)" : " (was \(previous))")]
                + (warmup.map { ["warmup = \($0.value)" + ($0.previous == $0.value ? " (unchanged)" : " (was \($0.previous))")] } ?? [])
                + (threads.map { ["libtorch computes with \($0.budget)"] } ?? []) + (note.map { [$0] } ?? [])
        }

        /// A likely mistake (`set lr 10`); more threads than usable cores slow training down.
        var warnings: [String] {
            var said = mistake.map { [$0] } ?? []
            if let threads, threads.budget.count > threads.cores.count {
                let (budget, cores) = threads
                said.append("\(budget.count) threads on \(counted(cores.count, "usable CPU")) (\(cores.reason)) oversubscribe them and slow training down")
            }
            return said
        }

        /// `key`, `value`, `previous`; `warmup` and `warmup_previous` when `warmup=` came with `schedule`.
        var result: CommandResult {
            CommandResult(command: "set", fields: [("key", .string(key)), ("value", .string(value)), ("previous", .string(previous))]
                          + (warmup.map { [("warmup", .string($0.value)), ("warmup_previous", .string($0.previous))] } ?? []))
        }
    }

    let arguments: Arguments

    /// `set lr=1e-3` is told how to write it.
    static func validate(_ arguments: Arguments) throws {
        if arguments.positionals.isEmpty, let option = arguments.options.first {
            throw ShellError("write 'set \(option.key ?? "") \(option.value)' (a space, not '=')", at: option.offset)
        }
    }

    func run(in shell: Interpreter) throws -> Change {
        let names = ConfigKey.all.map(\.name)
        let keyArgument = try arguments.required(0, "KEY")
        if keyArgument.value == "workers", !keyArgument.quoted { return try shell.setWorkers(arguments) }
        guard let key = ConfigKey.named(keyArgument.value) else {
            throw ShellError(Suggestion.unknown("setting", keyArgument.value, among: names), at: keyArgument.offset)
        }
        let valueArgument = try arguments.required(1, "VALUE for \(key.name) (\(key.domain))")
        let warmupOption = arguments.option("warmup") // only `set schedule`'s form takes it
        let previous = key.read(shell.session.config)
        let previousWarmup = ConfigKey.named("warmup")!.read(shell.session.config)
        if valueArgument.value.lowercased() == "default", !valueArgument.quoted {
            try key.write(&shell.session.config, key.defaultValue)
        } else {
            do { try key.write(&shell.session.config, valueArgument.value) } catch let error as ShellError {
                throw ShellError(error.message, at: valueArgument.offset)
            }
        }
        if key.name == "tensorboard", let folder = shell.session.config.tensorBoardDirectory {
            shell.session.config.tensorBoardDirectory = try SetCommand.logFolder(folder, in: shell, at: valueArgument.offset)
        }
        if let warmupOption {
            shell.session.config.warmupEpochs = ["0", "off"].contains(warmupOption.value) ? nil : ConfigKey.exactInteger(warmupOption.value)
        }
        try ConfigKey.checkClassWeights(shell.session.config, against: shell.session.dataset, at: valueArgument.offset)
        let value = key.read(shell.session.config)
        try shell.session.trainer?.apply(shell.session.config)
        var change = Change(key: key.name, value: value, previous: previous)
        if warmupOption != nil { change.warmup = (ConfigKey.named("warmup")!.read(shell.session.config), previousWarmup) }
        if key.name == "threads" { change.threads = (try shell.applyThreadSetting(), ThreadBudget.automatic()) }
        change.note = SettingAdvice.note(for: key.name, in: shell.session)
        change.mistake = SettingAdvice.warning(for: key.name, in: shell.session.config)
        return change
    }

    /// The TensorBoard log folder `text` as an absolute path (`~` and relative paths resolved), made when missing,
    /// so that a folder that cannot be written is said now, at the word, and not at the first run.
    private static func logFolder(_ text: String, in shell: Interpreter, at offset: Int) throws -> String {
        let url = shell.resolve(text).standardizedFileURL
        do {
            try TensorBoardFolder.make(url)
        } catch let error as TensorBoardError {
            throw ShellError(error.message, at: offset)
        }
        return url.path
    }
}

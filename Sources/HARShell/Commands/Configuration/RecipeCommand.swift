import HARKit

/// `recipe [reference|robust]`: sets every setting and the augmentation a named recipe decides, or says which recipe
/// the session follows now.
struct RecipeCommand: ShellCommand {
    static let spec = CommandSpec("recipe", family: .configuration, usage: "recipe [reference|robust]",
                                  summary: "set the training recipe: reference (the default) or robust (for new people)",
                                  details: ["`reference` restores the published recipe's schedule, warm-up, label smoothing, weight averaging, dropout and augmentation (off); `robust` sets cosine with 1 warm-up epoch, label smoothing 0.1, ema 0.99, dropout 0.3 and augment \(TrainingRecipe.robustAugmentation).",
                                            "Other settings (lr, epochs, batch, seed, …) are left as they are. `dropout` applies at the next `model`. Without a name, says which recipe the settings follow."],
                                  examples: ["recipe robust", "recipe reference", "recipe"],
                                  keywords: TrainingRecipe.allCases.map(\.rawValue), keywordKind: "recipe", positionals: 1)

    /// The recipe in effect and what it decides.
    struct Recipe: CommandOutput {
        /// The recipe the settings follow now; nil when a setting it decides was changed since.
        var recipe: TrainingRecipe?
        /// The recipe before the command (equal to `recipe` when only asked).
        var previous: TrainingRecipe?
        /// The settings a recipe decides, as `set` names them, with their values now.
        var settings: [(key: String, value: String)]
        /// The augmentation now, nil when off.
        var augmentation: AugmentationPipeline?

        /// `recipe robust (was reference)`, then one line per setting it decides and the augmentation.
        func lines(in layout: TextLayout) -> [String] {
            let name = recipe?.rawValue ?? "custom (a setting changed since the last recipe)"
            return ["recipe \(name)" + (previous == recipe ? "" : " (was \(previous?.rawValue ?? "custom"))")]
                + settings.map { "  \($0.key) = \($0.value)" } + ["  augment \(augmentation?.description ?? "off")"]
        }

        /// `recipe` and `previous` (null for custom), `settings` (key → value), `augmentation` (null when off).
        var result: CommandResult {
            CommandResult(command: "recipe", fields: [
                ("recipe", recipe.map { .string($0.rawValue) } ?? .null), ("previous", previous.map { .string($0.rawValue) } ?? .null),
                ("settings", .object(settings.map { ($0.key, .string($0.value)) })),
                ("augmentation", augmentation.map { .string($0.description) } ?? .null),
            ])
        }
    }

    /// The `set` keys whose settings a recipe decides.
    static let keys = ["schedule", "warmup", "label_smoothing", "ema", "dropout"]

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> Recipe {
        let previous = TrainingRecipe.matching(shell.session.config, augmentation: shell.session.augmentation)
        if let name = arguments.keyword, let recipe = TrainingRecipe(rawValue: name) {
            shell.session.config = recipe.configured(shell.session.config)
            shell.session.augmentation = recipe.augmentation
            shell.session.trainer?.augmentation = recipe.augmentation
            try shell.session.trainer?.apply(shell.session.config)
        }
        let session = shell.session
        return Recipe(recipe: TrainingRecipe.matching(session.config, augmentation: session.augmentation), previous: previous,
                      settings: RecipeCommand.settings(of: session.config), augmentation: session.augmentation)
    }

    /// The settings a recipe decides, read from `config` as `show` writes them.
    static func settings(of config: TrainingConfig) -> [(key: String, value: String)] {
        keys.compactMap { name in ConfigKey.named(name).map { (name, $0.read(config)) } }
    }
}

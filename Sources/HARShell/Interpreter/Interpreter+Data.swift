import HARKit

/// Data commands: datasets, download, load, info, augment.
extension Interpreter {
    /// The window shape and class count of the loaded dataset, which models are built for.
    func currentInputShape(for arguments: Arguments) throws -> InputShape {
        throw ShellError("no dataset loaded: load one first (e.g. 'load synthetic') — the model is built for its window shape; "
                         + "'load' is not available in this build yet: it needs HARKit's dataset loaders (DatasetCatalog)",
                         at: arguments.command.offset)
    }

    func datasets(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectPositionals(0)
        try arguments.expectOptions([])
        throw unavailable(arguments, needs: "HARKit's dataset catalog (DatasetCatalog)")
    }

    func download(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectPositionals(1)
        try arguments.expectOptions([])
        _ = try arguments.expectKeyword(try arguments.required(0, "dataset NAME"), among: Vocabulary.datasets, kind: "dataset")
        throw unavailable(arguments, needs: "HARKit's dataset downloader (DatasetCatalog)")
    }

    func load(_ arguments: Arguments) throws -> CommandResult {
        let name = try arguments.required(0, "dataset NAME (or 'model FILE')")
        if !name.quoted, name.value == "model" { return try loadModel(arguments) }
        _ = try arguments.expectKeyword(name, among: Vocabulary.datasets, kind: "dataset")
        try arguments.expectOptions(arguments.spec.optionKeys)
        if let second = arguments.positional(1) {
            guard !second.quoted, second.value == "from" else {
                throw ShellError("unexpected argument '\(second.value)' — usage: load NAME [from PATH] [key=value…]", at: second.offset)
            }
            _ = try arguments.required(2, "PATH after 'from'")
            try arguments.expectPositionals(3)
        }
        throw unavailable(arguments, needs: "HARKit's dataset loaders (DatasetCatalog)")
    }

    func info(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectPositionals(0)
        try arguments.expectOptions([])
        throw unavailable(arguments, needs: "a loaded dataset (HARKit's dataset loaders)")
    }

    func augment(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectOptions(Vocabulary.augmentations)
        let words = arguments.positionals
        guard !words.isEmpty || !arguments.options.isEmpty else {
            throw ShellError("missing SPEC — usage: \(arguments.spec.usage)", at: arguments.command.offset)
        }
        if words.count == 1, words[0].value == "off", arguments.options.isEmpty {
            throw unavailable(arguments, needs: "HARKit's augmentation pipeline (AugmentationPipeline)")
        }
        for word in words { _ = try arguments.expectKeyword(word, among: Vocabulary.augmentations, kind: "augmentation") }
        throw unavailable(arguments, needs: "HARKit's augmentation pipeline (AugmentationPipeline)")
    }
}

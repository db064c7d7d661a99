import HARKit

/// Every command of the language with its usage, summary and examples: the source of `help`,
/// completion and "did you mean" for command words.
public enum CommandTable {
    /// All commands, in `help` order.
    public static let all: [CommandSpec] = session + data + model + configuration + training + inspect + persistence

    /// The command named `word` (or one of its aliases).
    public static func spec(named word: String) -> CommandSpec? {
        all.first { $0.name == word || $0.aliases.contains(word) }
    }

    /// Every word that starts a command, aliases included.
    public static var words: [String] { all.flatMap { [$0.name] + $0.aliases } }

    static let session: [CommandSpec] = [
        CommandSpec("help", family: .session, usage: "help [COMMAND]",
                    summary: "list commands, or one command's usage with examples (?CMD is the same)",
                    examples: ["help", "help train", "?set"], replayable: false),
        CommandSpec("status", family: .session, usage: "status",
                    summary: "dataset, model, optimizer, config and last run at a glance",
                    examples: ["status"], replayable: false),
        CommandSpec("reset", family: .session, usage: "reset [model|data|all]",
                    summary: "drop state: the model, the datasets, or everything (config back to defaults)",
                    details: ["`reset` alone is `reset all`. Command history and recording are kept."],
                    examples: ["reset model", "reset"], keywords: ["model", "data", "all"]),
        CommandSpec("run", family: .session, usage: "run FILE",
                    summary: "execute a script inside the session (nested; stops at its first error)",
                    details: ["An error names the script's file and line. Commands before it keep their effect."],
                    examples: ["run examples/quickstart.har"]),
        CommandSpec("record", family: .session, usage: "record FILE | record off",
                    summary: "append every successful command to a replayable script",
                    details: ["Each command is appended as one line as soon as it succeeds."],
                    examples: ["record today.har", "record off"], keywords: ["off"], replayable: false),
        CommandSpec("history", family: .session, usage: "history [N] | history save FILE",
                    summary: "the last commands; `history save FILE` writes the successful ones as a script",
                    examples: ["history", "history 5", "history save session.har"], keywords: ["save"],
                    replayable: false),
        CommandSpec("quit", aliases: ["exit"], family: .session, usage: "quit",
                    summary: "leave the shell (also exit, Ctrl-D)", examples: ["quit"], replayable: false),
    ]

    static let data: [CommandSpec] = [
        CommandSpec("datasets", family: .data, usage: "datasets",
                    summary: "the known datasets, whether each is present locally, its path",
                    examples: ["datasets"], replayable: false),
        CommandSpec("download", family: .data, usage: "download NAME",
                    summary: "fetch the original archive, check its size and SHA-256, unpack into the data dir",
                    details: ["The archive's size must match the server's Content-Length. No publisher gives a digest, so the",
                              "first download's SHA-256 is recorded in <data dir>/.checksums.json (trust on first use) and",
                              "every later download must match it; the message says which check was made."],
                    examples: ["download uci-har"], keywords: Vocabulary.datasets),
        CommandSpec("load", family: .data,
                    usage: "load NAME [from PATH] [window=N] [overlap=F] [split=…] [normalize=on|off] [rate=HZ] | load model FILE",
                    summary: "load a dataset (its reference protocol unless options say otherwise), or a saved model",
                    details: ["NAME: synthetic, uci-har (uci), wisdm, pamap2 (pamap), dsads (dasa), opportunity (oppo), npy.",
                              "split=subjects:7,8 | ratio:8:2 | official. `from PATH` takes the archive's folder or the dataset's own.",
                              "Without `from`, the data dir (--data-dir, HAR_DATA) is searched.",
                              "Also: windowing=contiguous|reference, seed=N and validation=F (default: `set seed`, `set val`), cache=off."],
                    examples: ["load synthetic", "load uci-har", "load wisdm window=128 overlap=0.5",
                               "load npy from ~/cache/wisdm", "load pamap2 split=subjects:105,106"],
                    keywords: Vocabulary.datasets + ["model"],
                    optionKeys: DatasetOptions.validKeys),
        CommandSpec("info", family: .data, usage: "info",
                    summary: "shapes, sample rate, channel names, classes with counts per split, subjects per split",
                    examples: ["info"], replayable: false),
        CommandSpec("augment", family: .data, usage: "augment SPEC[, SPEC…] | augment off",
                    summary: "on-the-fly training augmentation",
                    details: ["SPEC: jitter[=σ], scale[=σ], rotate[=degrees], crop[=fraction], flip[=p], timewarp[=σ], mixup[=α]."],
                    examples: ["augment jitter, rotate=15", "augment crop=0.9, mixup=0.2", "augment off"],
                    keywords: Vocabulary.augmentations + ["off"], optionKeys: Vocabulary.augmentations),
    ]

    static let model: [CommandSpec] = [
        CommandSpec("model", family: .model, usage: "model SPEC [width=N] [depth=N] [hidden=N] [layers=N] [heads=N] [dropout=F]",
                    summary: "build a model for the loaded dataset's shape",
                    details: ["SPEC: sa, ca, cnn, resnet, lstm, gru, transformer, deepconvlstm, or hybrids joined with +",
                              "(sa+lstm, attn+lstm, sa+transformer, cnn+lstm). A new spec replaces the current model."],
                    examples: ["model sa", "model attn+lstm hidden=128", "model transformer layers=2 heads=4"],
                    keywords: Vocabulary.models, optionKeys: Vocabulary.modelOptions),
        CommandSpec("summary", family: .model, usage: "summary",
                    summary: "layer table: output shape, parameters, multiply-adds; totals",
                    examples: ["summary"], replayable: false),
    ]

    static let configuration: [CommandSpec] = [
        CommandSpec("set", family: .configuration, usage: "set KEY VALUE",
                    summary: "change a training setting; takes effect at once",
                    details: ["`set KEY default` restores the default. `show` lists every key with its meaning."],
                    examples: ["set lr 1e-3", "set batch 64", "set optimizer sgd", "set schedule cosine", "set clip off"],
                    keywords: ConfigKey.all.map(\.name)),
        CommandSpec("show", family: .configuration, usage: "show [KEY]",
                    summary: "every setting with value, default and a one-line meaning",
                    examples: ["show", "show lr"], keywords: ConfigKey.all.map(\.name), replayable: false),
    ]

    static let training: [CommandSpec] = [
        CommandSpec("train", family: .training, usage: "train [EPOCHS]",
                    summary: "continue training the current model; one line per epoch",
                    details: ["Early stopping (set patience N) restores the best weights.",
                              "Ctrl-C stops after the current batch, keeps the model, and returns to the prompt."],
                    examples: ["train", "train 30"]),
        CommandSpec("eval", family: .training, usage: "eval [test|val|train]",
                    summary: "accuracy, macro/weighted P/R/F1, per-class table, confusion matrix, latency",
                    examples: ["eval", "eval val"], keywords: ["test", "val", "train"]),
        CommandSpec("tune", family: .training, usage: "tune KEY=RANGE[, …] [trials=N] [epochs=N]",
                    summary: "hyperparameter search with successive-halving pruning; leaves the best config set",
                    details: ["RANGE: lo..hi, lo..hi:log, or choices a|b|c."],
                    examples: ["tune lr=1e-4..1e-2:log, batch=64|128, dropout=0..0.5 trials=20 epochs=10"],
                    optionKeys: SearchSpace.configKeys + ModelSpec.optionKeys.map(\.key).filter { !SearchSpace.configKeys.contains($0) }
                        + ["trials", "epochs"]),
        CommandSpec("cv", family: .training, usage: "cv [folds=N|loso] [epochs=N]",
                    summary: "cross-validation by subject (leave-one-subject-out by default), mean ± std",
                    examples: ["cv", "cv folds=5 epochs=10"], keywords: ["loso"], optionKeys: ["folds", "epochs"]),
    ]

    static let inspect: [CommandSpec] = [
        CommandSpec("inspect", family: .inspect,
                    usage: "inspect attention [sample=I|class=NAME] [layer=L] | inspect confusion|history|weights | inspect predictions [N]",
                    summary: "look inside: attention heat map, confusion matrix, training curves, weights, predictions",
                    examples: ["inspect attention", "inspect attention class=walking", "inspect confusion",
                               "inspect predictions 10"],
                    keywords: ["attention", "confusion", "history", "weights", "predictions"],
                    optionKeys: ["sample", "class", "layer"], replayable: false),
        CommandSpec("plot", family: .inspect,
                    usage: "plot history|confusion|attention [sample=I|class=NAME] [layer=L] [to FILE.svg|FILE.png]",
                    summary: "draw a chart in the terminal or to a file",
                    details: ["FILE.png is the SVG rasterised by rsvg-convert (Debian's librsvg2-bin; scripts/setup.sh installs it).",
                              "attention takes inspect attention's options and shows the same map."],
                    examples: ["plot history", "plot confusion to confusion.svg", "plot attention class=walking to walking.png"],
                    keywords: ["history", "confusion", "attention"], optionKeys: ["sample", "class", "layer"]),
        CommandSpec("runs", family: .inspect, usage: "runs",
                    summary: "every recorded run: id, dataset, model, key config, accuracy, F1, train seconds",
                    examples: ["runs"], replayable: false),
        CommandSpec("compare", family: .inspect, usage: "compare [RUN…]",
                    summary: "side-by-side table of runs; without arguments, the best run per dataset × model",
                    examples: ["compare", "compare 3 7"], replayable: false),
        CommandSpec("report", family: .inspect, usage: "report [to FILE.html]",
                    summary: "one self-contained page: run table, curves, confusion matrices, attention maps",
                    examples: ["report", "report to results.html"]),
        CommandSpec("export", family: .inspect, usage: "export csv|json|markdown FILE",
                    summary: "write the runs table", examples: ["export csv runs.csv"],
                    keywords: ["csv", "json", "markdown"]),
    ]

    static let persistence: [CommandSpec] = [
        CommandSpec("save", family: .persistence, usage: "save model FILE | save data DIR",
                    summary: "a checkpoint: weights, optimizer state, config and dataset metadata (atomic write; `load model FILE` reads it back); or the current dataset's windows as .npy in the reference tool's layout (`load npy from DIR` reads it back)",
                    examples: ["save model sa-uci.ckpt", "load model sa-uci.ckpt", "save data uci-npy"], keywords: ["model", "data"]),
    ]
}

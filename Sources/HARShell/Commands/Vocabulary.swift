/// The words of the command language's contract (docs/COMMANDS.md) that name things in HARKit:
/// datasets, model architectures and augmentations. Used for suggestions and completion.
public enum Vocabulary {
    /// Dataset names `load` accepts, aliases included.
    public static let datasets = ["synthetic", "uci-har", "uci", "wisdm", "pamap2", "pamap", "dsads", "dasa",
                                  "opportunity", "oppo", "npy"]
    /// Model architectures `model` accepts, hybrids included.
    public static let models = ["sa", "ca", "cnn", "resnet", "lstm", "gru", "transformer", "deepconvlstm",
                                "sa+lstm", "attn+lstm", "sa+transformer", "cnn+lstm"]
    /// Options `model` accepts.
    public static let modelOptions = ["width", "depth", "hidden", "layers", "heads", "dropout"]
    /// Augmentations `augment` accepts.
    public static let augmentations = ["jitter", "scale", "rotate", "crop", "flip", "timewarp", "mixup"]
}

import HARKit

/// The words that name things in HARKit: datasets, model architectures and augmentations.
/// Used for suggestions and completion.
public enum Vocabulary {
    /// Dataset names `load` accepts, aliases included.
    public static var datasets: [String] { DatasetCatalog.names + DatasetCatalog.aliases.keys.sorted() }
    /// Model specs `model` completes to (HARKit's `ModelSpec` decides what is valid).
    public static var models: [String] { ModelSpec.examples + ModelSpec.knownNames.filter { !ModelSpec.examples.contains($0) } }
    /// Options `model` accepts.
    public static var modelOptions: [String] { ModelSpec.optionKeys.map(\.key) }
    /// Augmentations `augment` accepts.
    public static var augmentations: [String] { Augmentation.names }
}

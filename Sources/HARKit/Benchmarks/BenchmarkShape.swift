/// The window shapes of the five benchmark datasets (as in the PyTorch peer benchmark).
public struct BenchmarkShape: Sendable, Equatable {
    /// The peer script's short name.
    public let name: String
    /// The model input shape.
    public let input: InputShape

    /// UCI-HAR 128×9, WISDM 200×3, PAMAP2 171×36, DSADS 125×45, OPPORTUNITY 30×113.
    public static let all = [
        BenchmarkShape(name: "uci", input: InputShape(time: 128, channels: 9, classes: 6)),
        BenchmarkShape(name: "wisdm", input: InputShape(time: 200, channels: 3, classes: 6)),
        BenchmarkShape(name: "pamap2", input: InputShape(time: 171, channels: 36, classes: 12)),
        BenchmarkShape(name: "dsads", input: InputShape(time: 125, channels: 45, classes: 19)),
        BenchmarkShape(name: "oppo", input: InputShape(time: 30, channels: 113, classes: 17)),
    ]

    /// The shape with this name (the peer's names, plus the dataset loaders' names).
    public static func named(_ name: String) -> BenchmarkShape? {
        let aliases = ["uci-har": "uci", "pamap": "pamap2", "dasa": "dsads", "opportunity": "oppo"]
        let key = aliases[name] ?? name
        return all.first { $0.name == key }
    }
}

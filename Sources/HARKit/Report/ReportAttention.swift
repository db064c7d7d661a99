/// A spatial attention map to show in a report: one window's, or a class average.
public struct ReportAttention: Sendable, Equatable {
    /// The heading, e.g. "body.1 · test window 0 (class walking)".
    public var title: String
    /// `T′ × C` weights.
    public var map: [[Double]]
    /// The channel names, in column order.
    public var channelNames: [String]

    /// A map titled `title`.
    public init(title: String, map: [[Double]], channelNames: [String]) {
        self.title = title
        self.map = map
        self.channelNames = channelNames
    }

    /// Layer `layer` of `maps` (computed by `AttentionMaps`, as `inspect attention` and `plot attention` show it),
    /// titled with the layer's name and what the maps show.
    /// - Throws: `AttentionError` when `maps` has no layer `layer`.
    public init(_ maps: AttentionMaps, layer: Int = 0) throws {
        guard maps.layers.indices.contains(layer) else {
            throw AttentionError("layer \(layer) does not exist: the model has \(maps.layers.count) spatial attention layers (0…\(maps.layers.count - 1))")
        }
        self.init(title: "\(maps.layers[layer].name) · \(maps.caption)", map: maps.layers[layer].values, channelNames: maps.channelNames)
    }
}

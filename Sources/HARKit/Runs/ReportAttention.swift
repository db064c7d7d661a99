/// A spatial attention map to show in a report: one window's, or a class average.
public struct ReportAttention: Sendable, Equatable {
    /// The heading, e.g. "run 3 · body.1 · class walking".
    public var title: String
    /// `T′ × C` weights.
    public var map: [[Float]]
    /// The channel names, in column order.
    public var channelNames: [String]

    /// A map titled `title`.
    public init(title: String, map: [[Float]], channelNames: [String]) {
        self.title = title
        self.map = map
        self.channelNames = channelNames
    }
}

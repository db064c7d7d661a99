import Foundation

/// What an exported ONNX file says about the data its model expects, stored as the file's metadata properties
/// (`metadata_props`): class and channel names, window length, sample rate, the z-score statistics and where they
/// are applied, harlab's version, the run the weights come from.
public struct ONNXModelDescription: Sendable, Equatable {
    /// Where the dataset's per-channel z-score `(x − mean) / std` happens for the exported model.
    public enum ZScore: String, Sendable, CaseIterable {
        /// The graph's first operations (`Sub`, `Div`): the file takes raw sensor windows.
        case graph
        /// Not in the graph: the caller z-scores windows with the mean and std the metadata stores.
        case metadata
    }

    /// Class names, indexed by output position.
    public var classNames: [String]
    /// Channel names, in input column order.
    public var channelNames: [String]
    /// Time steps per window (T).
    public var windowLength: Int
    /// Samples per second.
    public var sampleRate: Double
    /// Per-channel means of the z-score; empty when the dataset is not normalised.
    public var mean: [Float]
    /// Per-channel standard deviations of the z-score; empty when the dataset is not normalised.
    public var std: [Float]
    /// Where the z-score is applied.
    public var zScore: ZScore
    /// The run the weights come from ("" when none is known).
    public var runID: String

    /// A description of windows `windowLength` × `channelNames.count` sampled at `sampleRate`, z-scored with `mean`
    /// and `std` (both empty when not normalised).
    public init(classNames: [String], channelNames: [String], windowLength: Int, sampleRate: Double, mean: [Float], std: [Float],
                zScore: ZScore = .graph, runID: String = "") {
        (self.classNames, self.channelNames, self.windowLength, self.sampleRate) = (classNames, channelNames, windowLength, sampleRate)
        (self.mean, self.std, self.zScore, self.runID) = (mean, std, zScore, runID)
    }

    /// A description of `dataset`'s windows for weights from run `runID`.
    public init(dataset: HARDataset, zScore: ZScore = .graph, runID: String = "") {
        let normalized = dataset.protocolDescription.normalized
        self.init(classNames: dataset.classNames, channelNames: dataset.channelNames, windowLength: dataset.windowLength,
                  sampleRate: dataset.sampleRate, mean: normalized ? dataset.protocolDescription.mean : [],
                  std: normalized ? dataset.protocolDescription.std : [], zScore: zScore, runID: runID)
    }

    /// Whether the graph starts with the z-score.
    var zScoresInGraph: Bool { zScore == .graph && !mean.isEmpty }

    /// The metadata properties, by key; lists are JSON arrays.
    public var properties: [(key: String, value: String)] {
        [("class_names", Self.json(classNames)), ("channel_names", Self.json(channelNames)),
         ("window_length", "\(windowLength)"), ("sample_rate", "\(sampleRate)"),
         ("input_layout", "[batch, 1, window_length, channels] float32"),
         ("zscore", mean.isEmpty ? "none" : zScore == .graph ? "in graph" : "by caller"),
         ("zscore_mean", Self.json(mean)), ("zscore_std", Self.json(std)),
         ("harlab_version", HARKit.version), ("run_id", runID)]
    }

    private static func json<Value: Encodable>(_ value: Value) -> String {
        String(decoding: (try? JSONEncoder().encode(value)) ?? Data("[]".utf8), as: UTF8.self)
    }
}

/// What a stream's model says about one window: made every hop once the window is full.
public struct StreamPrediction: Sendable, Equatable {
    /// Stream time in seconds of the window's last sample (the timestamps' time, or the sample count over the rate).
    public var time: Double
    /// The index of the window's last sample among the samples at the model's rate since the stream began.
    public var sampleIndex: Int
    /// The predicted class (the most probable).
    public var activity: Int
    /// Its name.
    public var activityName: String
    /// Its probability.
    public var confidence: Double
    /// The softmax of the logits, one per class.
    public var probabilities: [Double]
    /// The label after smoothing (what to show).
    public var smoothed: Int
    /// Its name.
    public var smoothedName: String
}

/// A stream of text lines recognised: a `SampleLineParser` feeding a `StreamRecognizer`, with the lines it skips
/// counted (the first few kept for the user to see) instead of ending the stream.
public final class SampleLineStream {
    /// What one line came to.
    public struct LineResult: Sendable, Equatable {
        /// The predictions the line's sample completed.
        public var predictions: [StreamPrediction] = []
        /// Why the line was skipped, when it was.
        public var skipped: MalformedSample?
    }

    /// Skipped lines whose reason is kept (and shown); later ones are only counted.
    public static let shownSkips = 5

    /// The recognizer the samples go to.
    public let recognizer: StreamRecognizer
    /// The parser of the current stretch of lines (a new TCP connection starts a new one, which may read a header).
    public private(set) var parser: SampleLineParser
    /// Lines skipped so far.
    public private(set) var skippedCount = 0
    /// The first `shownSkips` skipped lines.
    public private(set) var firstSkips: [MalformedSample] = []
    /// Lines read so far, over all stretches.
    public private(set) var lineCount = 0

    /// A line stream into `recognizer`, its lines in the recognizer's channel order (or named by a header).
    public init(recognizer: StreamRecognizer) {
        self.recognizer = recognizer
        parser = SampleLineParser(channelNames: recognizer.configuration.channelNames)
    }

    /// Reads one line: a header, comment or blank line gives nothing; a sample line gives the predictions it completes;
    /// a malformed one is counted and said in `skipped`.
    /// - Throws: `StreamError` when the stream cannot go on (a header or first line that does not fit the model, a
    ///   refused rate); `TorchError` when the forward pass fails.
    public func feed(line: some StringProtocol) throws -> LineResult {
        lineCount += 1
        do {
            guard let sample = try parser.parse(line) else { return LineResult() }
            do {
                return LineResult(predictions: try recognizer.feed(sample: sample.values, timestamp: sample.timestamp))
            } catch let skip as MalformedSample {
                throw skip.at(line: sample.line)
            }
        } catch let skip as MalformedSample {
            skippedCount += 1
            if firstSkips.count < Self.shownSkips { firstSkips.append(skip) }
            return LineResult(skipped: skip)
        }
    }

    /// Starts a new stretch (a new connection, a rewritten file): a fresh parser (which may read a header again),
    /// line numbers from 1, and the recognizer's window and smoothing restarted.
    public func startStretch() {
        parser = SampleLineParser(channelNames: recognizer.configuration.channelNames)
        recognizer.restart()
    }
}

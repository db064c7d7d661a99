/// Decides a stream's sample rate (declared, measured from the first timestamps, or assumed to be the model's) and
/// turns the stream's samples into samples at the model's rate: unchanged when the rates match, by linear
/// interpolation between neighbouring samples when they do not, or not at all (a `StreamError`) when the
/// configuration refuses a mismatch.
struct StreamRateAdapter {
    /// One sample at a time in seconds.
    typealias TimedSample = (time: Double, values: [Float])

    /// Timestamped samples buffered to measure the rate from: this many intervals.
    static let measuringIntervals = 8
    /// How far a declared rate may be from the one the timestamps show before the stream is refused.
    static let declaredTolerance = 0.05

    let modelRate: Double
    let declaredRate: Double?
    let policy: StreamConfiguration.RateMismatch
    /// The rate once decided.
    private(set) var rate: StreamRate?
    private var pending: [TimedSample] = []
    private var previous: TimedSample?
    private var origin = 0.0
    private var emitted = 0

    init(modelRate: Double, declaredRate: Double?, policy: StreamConfiguration.RateMismatch) {
        (self.modelRate, self.declaredRate, self.policy) = (modelRate, declaredRate, policy)
    }

    /// Takes the next sample (times strictly increasing) and returns the samples at the model's rate it completes.
    /// - Throws: `StreamError` when the rate is refused or disagrees with the declared one.
    mutating func push(_ sample: TimedSample, timestamped: Bool) throws -> [TimedSample] {
        guard rate != nil else {
            if timestamped {
                pending.append(sample)
                guard pending.count > Self.measuringIntervals else { return [] }
                try decide(measured: Self.medianRate(of: pending.map(\.time)))
            } else {
                try decide(measured: nil)
                pending = [sample]
            }
            let buffered = pending
            pending = []
            var out: [TimedSample] = []
            for sample in buffered { out += adapt(sample) }
            return out
        }
        return adapt(sample)
    }

    /// Forgets the samples in flight (after a gap): the next sample starts a new grid. The decided rate stays.
    mutating func restart() {
        (pending, previous, origin, emitted) = ([], nil, 0, 0)
    }

    private mutating func decide(measured: Double?) throws {
        let hertz = declaredRate ?? measured ?? modelRate
        if let declaredRate, let measured, abs(measured - declaredRate) > Self.declaredTolerance * declaredRate {
            throw StreamError("the rate was declared as \(StreamRate.format(declaredRate)) Hz but the timestamps run at "
                              + "\(StreamRate.format(measured)) Hz: check the timestamp unit or the declared rate")
        }
        let matches = StreamRate.matches(hertz, modelRate)
        if !matches, policy == .refuse {
            throw StreamError("the stream runs at \(StreamRate.format(hertz)) Hz but the model at \(StreamRate.format(modelRate)) Hz: "
                              + "resample it (linear interpolation) or send samples at \(StreamRate.format(modelRate)) Hz")
        }
        let source: StreamRate.Source = declaredRate != nil ? .declared : (measured != nil ? .measured : .assumed)
        rate = StreamRate(hertz: hertz, source: source, resampled: !matches)
    }

    private mutating func adapt(_ sample: TimedSample) -> [TimedSample] {
        defer { previous = sample }
        guard rate?.resampled == true else { return [sample] }
        guard let previous else {
            (origin, emitted) = (sample.time, 1)
            return [sample]
        }
        var out: [TimedSample] = []
        while true {
            let time = origin + Double(emitted) / modelRate
            guard time <= sample.time else { break }
            let weight = Float((time - previous.time) / (sample.time - previous.time))
            out.append((time, zip(previous.values, sample.values).map { $0 + ($1 - $0) * weight }))
            emitted += 1
        }
        return out
    }

    /// The rate whose interval is the median of the intervals between `times`.
    static func medianRate(of times: [Double]) -> Double {
        1 / percentile(zip(times.dropFirst(), times).map { $0 - $1 }.sorted(), 0.5)
    }
}

import Foundation

/// An ordered list of augmentations applied to each training batch, seeded so that a run repeats exactly.
public struct AugmentationPipeline: Sendable, Equatable, CustomStringConvertible {
    /// The steps, applied in order (mixup and subjectmix, if present, last).
    public var steps: [Augmentation]

    /// A pipeline of `steps`.
    public init(steps: [Augmentation]) {
        self.steps = steps.filter { !$0.isMixing } + steps.filter(\.isMixing)
    }

    /// Parses `jitter=0.05, rotate=30, crop` (a bare name takes its default strength).
    /// - Throws: `DatasetError` naming the item that is not `name` or `name=number`, or an unknown name.
    public init(parsing spec: String) throws {
        var steps = [Augmentation]()
        for item in spec.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            var value: Float?
            if parts.count == 2 {
                guard let number = Float(parts[1]) else { throw DatasetError("bad augmentation '\(item)': '\(parts[1])' is not a number") }
                value = number
            }
            steps.append(try Augmentation(name: parts[0].lowercased(), value: value))
        }
        guard !steps.isEmpty else { throw DatasetError("empty augmentation spec: expected e.g. jitter=0.05, rotate=30, crop=0.9") }
        self.init(steps: steps)
    }

    /// The spec text that parses back to this pipeline.
    public var description: String { steps.map(\.description).joined(separator: ", ") }

    /// The blend mixup made: the batch position each window was mixed with and the weight λ of the window's own label.
    public struct Mix: Sendable, Equatable {
        /// For batch position i, the position of its partner.
        public var partners: [Int]
        /// λ: the loss is λ·CE(own label) + (1 − λ)·CE(partner's label).
        public var weight: Float
    }

    /// Transforms `values` (`count` windows of `[T, C]`) in place; returns the mixup blend when the pipeline has one.
    /// `subjects` (one per window, when known) lets `subjectmix` pair windows of different subjects.
    public func apply(to values: inout [Float], count: Int, windowLength: Int, channels: Int, groups: SensorGroups,
                      subjects: [Int]? = nil, using random: inout SeededGenerator) -> Mix? {
        var mix: Mix?
        let size = windowLength * channels
        for step in steps {
            switch step {
            case .jitter(let sigma):
                for i in values.indices { values[i] += sigma * random.gaussian() }
            case .scale(let sigma):
                for n in 0..<count {
                    let factors = (0..<channels).map { _ in 1 + sigma * random.gaussian() }
                    for t in 0..<windowLength {
                        for c in 0..<channels { values[n * size + t * channels + c] *= factors[c] }
                    }
                }
            case .rotate(let degrees):
                for n in 0..<count {
                    for unit in groups.units {
                        let m = Rotation3D.random(maxAngle: Double(degrees) * .pi / 180, using: &random).map(Float.init)
                        for triad in unit { TimeSeriesOps.rotate(&values, window: n, size: size, channels: channels, triad: triad, matrix: m, steps: windowLength) }
                    }
                }
            case .crop(let fraction):
                let kept = max(2, min(windowLength, Int((Float(windowLength) * fraction).rounded())))
                for n in 0..<count {
                    let start = Int(random.next() % UInt64(windowLength - kept + 1))
                    let positions = (0..<windowLength).map { Float(start) + Float($0) * Float(kept - 1) / Float(max(1, windowLength - 1)) }
                    TimeSeriesOps.resample(&values, window: n, size: size, channels: channels, steps: windowLength, at: positions)
                }
            case .flip(let probability):
                for n in 0..<count where random.unit() < probability {
                    TimeSeriesOps.reverse(&values, window: n, size: size, channels: channels, steps: windowLength)
                }
            case .timewarp(let sigma):
                for n in 0..<count {
                    TimeSeriesOps.resample(&values, window: n, size: size, channels: channels, steps: windowLength,
                                           at: TimeSeriesOps.warpedPositions(steps: windowLength, sigma: sigma, using: &random))
                }
            case .mixup(let alpha):
                let weight = random.beta(alpha)
                mix = Self.blend(&values, size: size, partners: (0..<count).shuffled(using: &random), weight: weight)
            case .subjectmix(let alpha):
                let weight = random.beta(alpha)
                let partners = Self.partnersFromOtherSubjects(subjects ?? [], count: count, using: &random)
                mix = Self.blend(&values, size: size, partners: partners, weight: weight)
            case .sensorscale(let sigma):
                for n in 0..<count {
                    for group in groups.sensors(channels: channels) {
                        let factor = 1 + sigma * random.gaussian()
                        for t in 0..<windowLength { for c in group { values[n * size + t * channels + c] *= factor } }
                    }
                }
            case .magwarp(let sigma):
                for n in 0..<count {
                    for group in groups.sensors(channels: channels) {
                        let curve = TimeSeriesOps.smoothCurve(steps: windowLength, sigma: sigma, using: &random)
                        for t in 0..<windowLength { for c in group { values[n * size + t * channels + c] *= curve[t] } }
                    }
                }
            }
        }
        return mix
    }
}

/// The last `length` samples of `channels` values each, oldest first, in a ring that never reallocates.
struct SlidingWindow {
    let length: Int
    let channels: Int
    private var storage: [Float]
    private var next = 0
    /// Samples appended since the window was created or cleared.
    private(set) var appended = 0

    init(length: Int, channels: Int) {
        (self.length, self.channels) = (length, channels)
        storage = [Float](repeating: 0, count: length * channels)
    }

    /// Whether the window holds `length` samples.
    var isFull: Bool { appended >= length }

    /// Appends one sample, dropping the oldest once full.
    mutating func append(_ values: [Float]) {
        storage.replaceSubrange(next * channels..<(next + 1) * channels, with: values)
        next = (next + 1) % length
        appended += 1
    }

    /// The window's values, oldest sample first: `length × channels`, row-major.
    var values: [Float] {
        guard isFull else { return Array(storage[0..<appended * channels]) }
        return Array(storage[next * channels..<storage.count] + storage[0..<next * channels])
    }

    /// Empties the window.
    mutating func clear() { (next, appended) = (0, 0) }
}

/// Reads a stream's text lines into samples: comma-, semicolon-, space- or tab-separated channel values, optionally led by a
/// timestamp, optionally after one header line naming the columns.
///
/// The first line that is not blank or a `#` comment fixes the layout. A header (a line with a word that is not a
/// number) must name every one of the model's channels once, optionally after a leading `time`/`timestamp`/`t`
/// column; columns in another order than the model's are matched by name and reordered (`Layout.reordered` says so).
/// Without a header the first sample line must hold as many values as the model has channels, or one more (then the
/// first is the timestamp); any other count is a `StreamError`. Later lines with another count, a word that is not a
/// number or a value that is not finite are `MalformedSample`s: the caller counts them and goes on.
public struct SampleLineParser: Sendable {
    /// How the columns of a line map onto the model's channels.
    public struct Layout: Sendable, Equatable {
        /// Whether the first column is a timestamp.
        public var hasTimestamp: Bool
        /// For each model channel in order, the index of its column among the value columns.
        public var columns: [Int]
        /// Whether a header named the columns.
        public var fromHeader: Bool
        /// Whether the header's channel order differs from the model's (the columns are then reordered by name).
        public var reordered: Bool { columns != Array(columns.indices) }
        /// Values per line, timestamp included.
        public var fieldCount: Int { columns.count + (hasTimestamp ? 1 : 0) }
    }

    /// One sample read from a line.
    public struct Sample: Sendable, Equatable {
        /// The channel values in the model's channel order.
        public var values: [Float]
        /// The leading timestamp (in the stream's unit), when the layout has one.
        public var timestamp: Double?
        /// The 1-based line number it came from.
        public var line: Int
    }

    /// The model's channel names, in the model's order.
    public let channelNames: [String]
    /// The layout, once the first header or sample line has fixed it.
    public private(set) var layout: Layout?
    /// Lines read so far (the number of the last line).
    public private(set) var lineNumber = 0

    /// The names a header may give a leading timestamp column (compared without case).
    public static let timestampNames: Set<String> = ["t", "time", "timestamp", "ts", "seconds", "time_s"]

    /// A parser for lines of `channelNames.count` channel values.
    public init(channelNames: [String]) { self.channelNames = channelNames }

    /// Reads the next line: its sample, or nil for a blank line, a `#` comment or the header.
    /// - Throws: `StreamError` when the header or the first sample line does not fit the model's channels;
    ///   `MalformedSample` (with the line number) for a line to skip.
    public mutating func parse(_ line: some StringProtocol) throws -> Sample? {
        lineNumber += 1
        let text = line.trimmingWhitespace
        if text.isEmpty || text.hasPrefix("#") { return nil }
        let fields = Self.fields(of: text)
        guard let layout else {
            if fields.contains(where: { Double($0) == nil }) {
                layout = try headerLayout(fields.map { String($0).trimmingQuotes })
                return nil
            }
            layout = try countLayout(fields.count)
            return try sample(fields, layout: layout!)
        }
        return try sample(fields, layout: layout)
    }

    /// The fields of a line: split at commas and semicolons, and within those at runs of spaces and tabs; an empty
    /// field between two commas stays (and is then not a number, so `1,,3` never reads as two values).
    static func fields(of text: Substring) -> [Substring] {
        text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "," || $0 == ";" }).flatMap { field -> [Substring] in
            let trimmed = field.trimmingWhitespace
            return trimmed.isEmpty ? [trimmed] : trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
        }
    }

    private func sample(_ fields: [Substring], layout: Layout) throws -> Sample {
        if fields.count != layout.fieldCount, let word = fields.first(where: { Double($0) == nil }) {
            throw MalformedSample(line: lineNumber, word.isEmpty ? "an empty value" : "'\(word)' is not a number")
        }
        guard fields.count == layout.fieldCount else {
            throw MalformedSample(line: lineNumber, "\(fields.count) values, expected \(layout.fieldCount)"
                                  + (layout.hasTimestamp ? " (a timestamp and \(layout.columns.count) channels)" : ""))
        }
        var timestamp: Double?
        if layout.hasTimestamp {
            guard let time = Double(fields[0]), time.isFinite else {
                throw MalformedSample(line: lineNumber, "timestamp '\(fields[0])' is not a finite number")
            }
            timestamp = time
        }
        let offset = layout.hasTimestamp ? 1 : 0
        var values = [Float](repeating: 0, count: layout.columns.count)
        for (channel, column) in layout.columns.enumerated() {
            let field = fields[offset + column]
            guard let value = Float(field), value.isFinite else {
                throw MalformedSample(line: lineNumber, field.isEmpty ? "no value for \(channelNames[channel])"
                                      : "'\(field)' (\(channelNames[channel])) is not a finite number")
            }
            values[channel] = value
        }
        return Sample(values: values, timestamp: timestamp, line: lineNumber)
    }

    private func countLayout(_ count: Int) throws -> Layout {
        let channels = channelNames.count
        guard count == channels || count == channels + 1 else {
            throw StreamError("line \(lineNumber): \(count) values, but the model reads \(channels) channels "
                              + "(\(channels) values per line, or \(channels + 1) with a leading timestamp)")
        }
        return Layout(hasTimestamp: count == channels + 1, columns: Array(0..<channels), fromHeader: false)
    }

    private func headerLayout(_ names: [String]) throws -> Layout {
        var names = names
        let hasTimestamp = names.first.map { Self.timestampNames.contains($0.lowercased()) && !channelNames.contains($0) } ?? false
        if hasTimestamp { names.removeFirst() }
        var position: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            guard channelNames.contains(name) else {
                throw StreamError("line \(lineNumber): header column '\(name)' is not one of the model's channels "
                                  + "(\(channelNames.prefix(6).joined(separator: ", "))\(channelNames.count > 6 ? ", …" : ""))")
            }
            guard position[name] == nil else { throw StreamError("line \(lineNumber): header names channel '\(name)' twice") }
            position[name] = index
        }
        let missing = channelNames.filter { position[$0] == nil }
        guard missing.isEmpty else {
            throw StreamError("line \(lineNumber): the header lacks \(counted(missing.count, "channel")) of the model: "
                              + missing.prefix(6).joined(separator: ", ") + (missing.count > 6 ? ", …" : ""))
        }
        return Layout(hasTimestamp: hasTimestamp, columns: channelNames.map { position[$0]! }, fromHeader: true)
    }
}

private extension StringProtocol {
    var trimmingWhitespace: Substring {
        let s = Substring(self)
        guard let first = s.firstIndex(where: { !$0.isWhitespace }), let last = s.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return s[first...last]
    }

    var trimmingQuotes: String {
        var s = Substring(self)
        while let c = s.first, c == "\"" || c == "'" { s.removeFirst() }
        while let c = s.last, c == "\"" || c == "'" { s.removeLast() }
        return String(s)
    }
}

import Foundation

/// Times a dataset's full load (parse, window, normalise), its cache write and its cached reload, with peak memory; for `har-bench`.
public enum DatasetBenchmark {
    /// One benchmark's measurements.
    public struct Result: Sendable, Codable, CustomStringConvertible {
        /// The dataset name.
        public var dataset: String
        /// Windows loaded.
        public var windows: Int
        /// Size of the final `[N, T, C]` float array in bytes.
        public var arrayBytes: Int
        /// Seconds for the load from the original files.
        public var loadSeconds: Double
        /// Peak resident memory growth during that load, in bytes (Linux; 0 where unavailable).
        public var loadPeakBytes: Int
        /// Seconds to write the cache.
        public var cacheWriteSeconds: Double
        /// Seconds for a cached reload.
        public var cachedLoadSeconds: Double

        /// One line of JSON.
        public var description: String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
        }
    }

    /// Loads `name` from `path` with `options` (cache off), writes its cache into a temporary data directory, reloads it from there.
    /// - Throws: whatever the load throws.
    public static func run(_ name: String, from path: URL, options: [String: String] = [:]) throws -> Result {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("harlab-bench-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let baseline = residentBytes()
        resetPeak()
        var start = Date()
        let dataset = try DatasetCatalog.load(name, from: path, options: options.merging(["cache": "off"]) { $1 }, dataDirectory: nil)
        let loadSeconds = Date().timeIntervalSince(start)
        let peak = max(0, peakBytes() - baseline)
        let canonical = try DatasetCatalog.canonicalName(name)
        let root = try DatasetCatalog.locate(canonical, path: path, dataDirectory: nil)
        let folder = DatasetCatalog.cacheLocation(canonical, root: root, options: try DatasetOptions(options), dataDirectory: scratch)
        start = Date()
        try FileManager.default.createDirectory(at: folder.deletingLastPathComponent(), withIntermediateDirectories: true)
        try NpyFolder.write(dataset, to: folder)
        let writeSeconds = Date().timeIntervalSince(start)
        start = Date()
        let reloaded = try DatasetCatalog.load(name, from: path, options: options, dataDirectory: scratch)
        let cachedSeconds = Date().timeIntervalSince(start)
        guard reloaded.count == dataset.count else { throw DatasetError("cached reload of \(name) gave \(reloaded.count) windows, expected \(dataset.count)") }
        return Result(dataset: canonical, windows: dataset.count, arrayBytes: dataset.windows.count * 4, loadSeconds: loadSeconds,
                      loadPeakBytes: peak, cacheWriteSeconds: writeSeconds, cachedLoadSeconds: cachedSeconds)
    }

    /// Current resident set size (Linux `/proc/self/statm`).
    private static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
    }

    /// Resets the kernel's peak-RSS mark (Linux ≥ 4.0: writing 5 to `/proc/self/clear_refs`).
    private static func resetPeak() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    /// Peak resident set size since the last reset (`VmHWM` in `/proc/self/status`).
    private static func peakBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
        return kilobytes * 1024
    }
}
